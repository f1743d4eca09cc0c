#!/usr/bin/env node
// Large-file clients, run as their own process pinned to the client CPU. Prints one JSON line.
//   stream: N keep-alive connections GET a file over and over for S seconds, counting body bytes into a
//           reused 1 MiB buffer (no allocation, no copying): {bytes, seconds, responses, bad, errors}
//   slow:   N connections each GET the file and read it at RATE bytes/s for S seconds: {bytes, seconds, clients}
//   paced:  an open-loop client: one GET every 1/RATE s for S seconds on up to N keep-alive connections,
//           each request's latency counted from when it was due, so a server that stalls shows as
//           requests queued behind the stall, not as fewer requests (a closed loop would hide it):
//           {due, ok, bad, unanswered, errors, p50, p99, max}
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
  let bytes = 0,
    responses = 0,
    bad = 0,
    errors = 0,
    stopping = false;
  const sockets = new Set();
  const open = () => {
    if (stopping) return;
    let head = null,
      remaining = 0,
      inBody = false,
      close = false,
      done = false;
    const finish = () => {
      responses++;
      inBody = false;
      head = null;
      if (close) {
        done = true;
        sock.destroy();
        open();
      } else sock.write(request);
    };
    const sock = net.connect({
      host,
      port,
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
              if (end < 0) {
                off = n;
                if (head.length > 65536) {
                  errors++;
                  sock.destroy();
                }
                break;
              }
              const h = parseHead(head.subarray(0, end).toString("latin1"));
              if (h.status !== 200 || h.length !== expectLength) bad++;
              close = h.close;
              const already = head.length - (end + 4);
              off = n; // the rest of this read is in `head` now
              remaining = Number.isFinite(h.length) ? h.length : Infinity;
              inBody = true;
              const take = Math.min(already, remaining);
              bytes += take;
              remaining -= take;
              if (remaining === 0) finish();
            } else {
              const take = Math.min(n - off, remaining);
              bytes += take;
              remaining -= take;
              off += take;
              if (remaining === 0) finish();
            }
          }
        },
      },
    });
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.on("connect", () => sock.write(request));
    sock.on("error", () => {
      if (!stopping) errors++;
    });
    sock.on("close", () => {
      sockets.delete(sock);
      if (!done && !stopping) {
        if (inBody) errors++;
        open();
      }
    });
  };
  for (let i = 0; i < connections; i++) open();
  setTimeout(
    () => {
      stopping = true;
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      for (const s of sockets) s.destroy();
      console.log(JSON.stringify({ bytes, seconds: secs, responses, bad, errors }));
      process.exit(0);
    },
    Math.max(0, deadline - Date.now()),
  );
}

function slow({ connections, seconds, rate }) {
  const start = Date.now();
  let bytes = 0,
    errors = 0,
    bad = 0,
    stopping = false;
  const sockets = [];
  for (let i = 0; i < connections; i++) {
    let got = 0,
      head = null,
      headerDone = false,
      t0 = 0;
    const sock = net.connect({ host, port }, () => {
      t0 = Date.now();
      sock.write(request);
    });
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
      got += chunk.length;
      bytes += chunk.length;
      const ahead = got - rate * ((Date.now() - t0) / 1000);
      if (ahead > 0) {
        sock.pause();
        setTimeout(
          () => {
            if (!stopping) sock.resume();
          },
          Math.ceil((ahead / rate) * 1000),
        );
      }
    });
    sock.on("error", () => {
      if (!stopping) errors++;
    });
  }
  setTimeout(() => {
    stopping = true;
    for (const s of sockets) s.destroy();
    const secs = (Date.now() - start) / 1000;
    console.log(
      JSON.stringify({
        bytes,
        seconds: secs,
        clients: connections,
        perClientRate: bytes / connections / secs,
        bad,
        errors,
      }),
    );
    process.exit(0);
  }, seconds * 1000);
}

function paced({ rate, seconds, connections = 32 }) {
  const interval = 1000 / rate;
  const start = performance.now();
  const end = start + seconds * 1000;
  const queue = []; // due times waiting for a free connection
  const free = [];
  const lat = [];
  let open = 0,
    due = 0,
    ok = 0,
    bad = 0,
    errors = 0,
    outstanding = 0,
    stopping = false;

  const connect = () => {
    open++;
    const c = {
      sock: net.connect({ host, port }),
      head: null,
      remaining: -1,
      status: 0,
      length: 0,
      dueAt: 0,
      busy: false,
    };
    c.sock.setNoDelay(true);
    c.sock.on("data", (chunk) => {
      let off = 0;
      while (off < chunk.length) {
        if (c.remaining < 0) {
          c.head = c.head ? Buffer.concat([c.head, chunk.subarray(off)]) : Buffer.from(chunk.subarray(off));
          off = chunk.length;
          const i = c.head.indexOf("\r\n\r\n");
          if (i < 0) return;
          const h = parseHead(c.head.subarray(0, i).toString("latin1"));
          c.status = h.status;
          c.remaining = Number.isFinite(h.length) ? h.length : 0;
          c.length = 0;
          const rest = c.head.subarray(i + 4);
          c.head = null;
          const take = Math.min(rest.length, c.remaining);
          c.remaining -= take;
          c.length += take;
        } else {
          const take = Math.min(chunk.length - off, c.remaining);
          c.remaining -= take;
          c.length += take;
          off += take;
        }
        if (c.remaining === 0) {
          c.remaining = -1;
          c.busy = false;
          outstanding--;
          if (c.status === 200 && c.length === expectLength) {
            ok++;
            lat.push(performance.now() - c.dueAt);
          } else bad++;
          free.push(c);
          dispatch();
        }
      }
    });
    c.sock.on("error", () => {
      errors++;
    });
    c.sock.on("close", () => {
      open--;
      const i = free.indexOf(c);
      if (i >= 0) free.splice(i, 1);
      if (c.busy) {
        outstanding--;
        c.busy = false;
        if (!stopping) {
          errors++;
          queue.unshift(c.dueAt);
          dispatch();
        }
      }
    });
    return c;
  };
  const dispatch = () => {
    while (queue.length && (free.length || open < connections)) {
      const c = free.pop() ?? connect();
      c.dueAt = queue.shift();
      c.busy = true;
      outstanding++;
      c.sock.write(request);
    }
  };
  const tick = () => {
    const now = performance.now();
    // Every request that has come due since the last tick (timers are late now and then).
    while (start + due * interval <= Math.min(now, end)) {
      queue.push(start + due * interval);
      due++;
    }
    dispatch();
    if (now < end) setTimeout(tick, Math.max(0, start + due * interval - performance.now()));
    else finish();
  };
  const finish = () => {
    const waitUntil = Date.now() + 5000; // the last answers, at most 5 s
    const done = () => {
      if ((outstanding > 0 || queue.length) && Date.now() < waitUntil) {
        setTimeout(done, 20);
        return;
      }
      stopping = true;
      lat.sort((a, b) => a - b);
      const pct = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * q))] : null);
      console.log(
        JSON.stringify({
          due,
          ok,
          bad,
          unanswered: due - ok - bad,
          errors,
          p50: pct(0.5),
          p99: pct(0.99),
          max: lat.at(-1) ?? null,
        }),
      );
      process.exit(0);
    };
    done();
  };
  tick();
}

if (opts.mode === "stream") stream(opts);
else if (opts.mode === "paced") paced(opts);
else if (opts.mode === "slow") slow(opts);
else {
  console.error(`unknown mode ${opts.mode}`);
  process.exit(2);
}
