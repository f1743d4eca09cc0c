#!/usr/bin/env node
// Large-file clients, run as their own process pinned to the client CPU. Prints one JSON line.
//   stream: N keep-alive connections GET a file over and over for S seconds, counting body bytes into a
//           reused 1 MiB buffer (no allocation, no copying): {bytes, seconds, responses, bad, errors}
//   slow:   N connections each GET the file and read it at RATE bytes/s for S seconds: {bytes, seconds, clients}
import net from "node:net";

const opts = JSON.parse(process.argv[2]);
const { host = "127.0.0.1", port, path, expectLength } = opts;
const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAccept: */*\r\n\r\n`);

function parseHead(text) {
  const [statusLine, ...lines] = text.split("\r\n");
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const [proto, status] = statusLine.split(" ");
  const conn = (headers.connection ?? "").toLowerCase();
  const close = conn === "close" || (proto === "HTTP/1.0" && conn !== "keep-alive");
  return { status: Number(status), length: Number(headers["content-length"] ?? NaN), close };
}

function stream({ connections, seconds }) {
  const start = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  let bytes = 0, responses = 0, bad = 0, errors = 0, stopping = false;
  const sockets = new Set();
  const open = () => {
    if (stopping) return;
    let head = null, remaining = 0, inBody = false, close = false, done = false;
    const finish = () => {
      responses++;
      inBody = false; head = null;
      if (close) { done = true; sock.destroy(); open(); } else sock.write(request);
    };
    const sock = net.connect({
      host, port,
      onread: {
        buffer: Buffer.allocUnsafe(1 << 20),
        callback(n, buf) {
          if (stopping) return false;
          let off = 0;
          while (off < n) {
            if (!inBody) {
              const piece = buf.subarray(off, n);
              head = head ? Buffer.concat([head, piece]) : Buffer.from(piece);
              const end = head.indexOf("\r\n\r\n");
              if (end < 0) { off = n; if (head.length > 65536) { errors++; sock.destroy(); } break; }
              const h = parseHead(head.subarray(0, end).toString("latin1"));
              if (h.status !== 200 || h.length !== expectLength) bad++;
              close = h.close;
              const already = head.length - (end + 4);
              off = n; // the rest of this read is in `head` now
              remaining = Number.isFinite(h.length) ? h.length : Infinity;
              inBody = true;
              const take = Math.min(already, remaining);
              bytes += take; remaining -= take;
              if (remaining === 0) finish();
            } else {
              const take = Math.min(n - off, remaining);
              bytes += take; remaining -= take; off += take;
              if (remaining === 0) finish();
            }
          }
        },
      },
    });
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.on("connect", () => sock.write(request));
    sock.on("error", () => { if (!stopping) errors++; });
    sock.on("close", () => {
      sockets.delete(sock);
      if (!done && !stopping) { if (inBody) errors++; open(); }
    });
  };
  for (let i = 0; i < connections; i++) open();
  setTimeout(() => {
    stopping = true;
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    for (const s of sockets) s.destroy();
    console.log(JSON.stringify({ bytes, seconds: secs, responses, bad, errors }));
    process.exit(0);
  }, Math.max(0, deadline - Date.now()));
}

function slow({ connections, seconds, rate }) {
  const start = Date.now();
  let bytes = 0, errors = 0, bad = 0, stopping = false;
  const sockets = [];
  for (let i = 0; i < connections; i++) {
    let got = 0, head = null, headerDone = false, t0 = 0;
    const sock = net.connect({ host, port }, () => { t0 = Date.now(); sock.write(request); });
    sockets.push(sock);
    sock.on("data", (chunk) => {
      if (!headerDone) {
        head = head ? Buffer.concat([head, chunk]) : chunk;
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        headerDone = true;
        const h = parseHead(head.subarray(0, end).toString("latin1"));
        if (h.status !== 200 || h.length !== expectLength) bad++;
        chunk = head.subarray(end + 4);
      }
      got += chunk.length; bytes += chunk.length;
      const ahead = got - rate * ((Date.now() - t0) / 1000);
      if (ahead > 0) {
        sock.pause();
        setTimeout(() => { if (!stopping) sock.resume(); }, Math.ceil((ahead / rate) * 1000));
      }
    });
    sock.on("error", () => { if (!stopping) errors++; });
  }
  setTimeout(() => {
    stopping = true;
    for (const s of sockets) s.destroy();
    const secs = (Date.now() - start) / 1000;
    console.log(JSON.stringify({ bytes, seconds: secs, clients: connections, perClientRate: bytes / connections / secs, bad, errors }));
    process.exit(0);
  }, seconds * 1000);
}

if (opts.mode === "stream") stream(opts);
else if (opts.mode === "slow") slow(opts);
else { console.error(`unknown mode ${opts.mode}`); process.exit(2); }
