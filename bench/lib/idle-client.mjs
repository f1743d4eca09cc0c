#!/usr/bin/env node
// Idle keep-alive connections for lib/idle.mjs: a process pinned to the client CPU that holds
// thousands of connections and answers commands, one JSON line each way:
//   {"cmd":"open","count":N,"concurrency":C,"timeoutMs":T,"maxFailures":F}  open N more connections;
//        each sends one GET and reads the whole answer, then sits idle; no new attempt after F failures.
//        -> {tried, ok, bad, badAnswers: {what: n}, failed: {why: n}, gaveUp, ms, live}
//   {"cmd":"status"}  -> {live, closedIdle, closedIdleAfterMs (median idle time before the server closed one)}
//   {"cmd":"burst","timeoutMs":T}  one request on every idle connection at once, all answers awaited
//        -> {sent, ok, bad, badAnswers: {what: n}, failed: {why: n}, ms, p50, p99, max}
//   {"cmd":"close"}  reset every connection (RST: no TIME_WAIT left behind) and exit.
// usage: node idle-client.mjs '{"port":P,"path":"/1k.bin","expectLength":1024,"source":"127.20.0."}'
// Each connection binds to one of `source`1 … `source`250, addresses of the loopback's 127/8, so that
// the client never uses up the ephemeral ports of 127.0.0.1 that other programs need. Many addresses,
// not one: binding to an address with port 0 makes the kernel search for a port that address has not
// used, and with thousands used that search made opening 3× slower (8,000 connections: 2.2 s on one
// address, 0.7 s on 64 or on none).
import net from "node:net";
import readline from "node:readline";

const { port, path, expectLength, source } = JSON.parse(process.argv[2]);
const REQUEST = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
const idle = new Set(); // connections that got their answer and wait
let nextSource = 0;
let closedIdle = 0;
const closedIdleAges = [];

/** Why a connection failed, in words the report uses. */
function why(err, connected) {
  const code = err?.code;
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ECONNRESET" || code === "EPIPE") return connected ? "reset" : "reset before connecting";
  if (code === "ETIMEDOUT") return "connect timed out";
  if (code === "EADDRNOTAVAIL" || code === "EADDRINUSE") return "no local port left (client side)";
  if (code === "EMFILE" || code === "ENFILE") return "client out of descriptors";
  return code ? String(code) : "error";
}

/**
 * A connection's response reader: calls done(status, length) once a whole answer is in (the body is
 * counted, not kept), or done(null, null, reason) when it breaks off.
 */
function reader(sock, onAnswer) {
  let head = null,
    remaining = -1,
    status = 0,
    length = 0,
    connClose = false;
  sock.on("data", (chunk) => {
    let off = 0;
    while (off < chunk.length) {
      if (remaining < 0) {
        head = head ? Buffer.concat([head, chunk.subarray(off)]) : Buffer.from(chunk.subarray(off));
        off = chunk.length;
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        const text = head.subarray(0, end).toString("latin1");
        status = Number(text.split(" ")[1]);
        const cl = /\r\ncontent-length:\s*(\d+)/i.exec(text);
        connClose = /\r\nconnection:\s*close/i.test(text);
        length = 0;
        remaining = status === 304 || status === 204 ? 0 : cl ? Number(cl[1]) : 0;
        const rest = head.subarray(end + 4);
        head = null;
        const take = Math.min(rest.length, remaining);
        remaining -= take;
        length += take;
        if (remaining === 0) {
          remaining = -1;
          onAnswer(status, length, connClose);
        }
        continue;
      }
      const take = Math.min(chunk.length - off, remaining);
      remaining -= take;
      length += take;
      off += take;
      if (remaining === 0) {
        remaining = -1;
        onAnswer(status, length, connClose);
      }
    }
  });
}

function openOne(timeoutMs) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let connected = false,
      settled = false;
    const c = { sock: null, answeredAt: 0, pending: null };
    const settle = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const sock = net.connect({ host: "127.0.0.1", port, localAddress: `${source}${1 + (nextSource++ % 250)}` });
    c.sock = sock;
    const timer = setTimeout(() => {
      settle({ failed: connected ? "no answer within the timeout" : "connect timed out" });
      sock.destroy();
    }, timeoutMs);
    sock.setNoDelay(true);
    sock.on("connect", () => {
      connected = true;
      sock.write(REQUEST);
    });
    reader(sock, (status, length, connClose) => {
      c.answeredAt = performance.now();
      if (c.pending) {
        const p = c.pending;
        c.pending = null;
        p(status, length);
        return;
      }
      const good = status === 200 && length === expectLength;
      if (good && !connClose) idle.add(c);
      settle(
        good
          ? { ok: true, ms: performance.now() - t0, closes: connClose }
          : { bad: `status ${status}, ${length} bytes` },
      );
    });
    // A connection that breaks while a burst request is out is that request's failure; one that
    // closes while idle is the server's idle timeout (or a limit), counted apart.
    sock.on("error", (err) => {
      if (c.pending) {
        const p = c.pending;
        c.pending = null;
        idle.delete(c);
        p(null, null, why(err, true));
      }
      settle({ failed: why(err, connected) });
    });
    sock.on("close", () => {
      if (c.pending) {
        const p = c.pending;
        c.pending = null;
        idle.delete(c);
        p(null, null, "closed by the server before answering");
      } else if (idle.delete(c)) {
        closedIdle++;
        closedIdleAges.push(performance.now() - c.answeredAt);
      }
      settle({ failed: connected ? "closed by the server before answering" : "closed before connecting" });
    });
  });
}

/** Opens `count` connections, `concurrency` at a time; stops starting new ones after `maxFailures`. */
async function open({ count, concurrency = 100, timeoutMs = 10_000, maxFailures = 200 }) {
  const t0 = performance.now();
  const out = { tried: 0, ok: 0, bad: 0, badAnswers: {}, failed: {}, gaveUp: false };
  let next = 0,
    failures = 0;
  const worker = async () => {
    while (next < count) {
      if (failures >= maxFailures) {
        out.gaveUp = true;
        return;
      }
      next++;
      const r = await openOne(timeoutMs);
      out.tried++;
      if (r.ok) out.ok++;
      else if (r.bad) {
        out.bad++;
        failures++;
        out.badAnswers[r.bad] = (out.badAnswers[r.bad] ?? 0) + 1;
      } else {
        failures++;
        out.failed[r.failed] = (out.failed[r.failed] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { ...out, ms: performance.now() - t0, live: idle.size };
}

async function burst({ timeoutMs = 30_000 }) {
  const t0 = performance.now();
  const conns = [...idle];
  const lat = [];
  const out = { sent: conns.length, ok: 0, bad: 0, badAnswers: {}, failed: {} };
  await Promise.all(
    conns.map(
      (c) =>
        new Promise((resolve) => {
          const sent = performance.now();
          const timer = setTimeout(() => {
            if (c.pending) {
              c.pending = null;
              out.failed["no answer within the timeout"] = (out.failed["no answer within the timeout"] ?? 0) + 1;
              resolve();
            }
          }, timeoutMs);
          c.pending = (status, length, reason) => {
            clearTimeout(timer);
            if (status === null) out.failed[reason] = (out.failed[reason] ?? 0) + 1;
            else if (status === 200 && length === expectLength) {
              out.ok++;
              lat.push(performance.now() - sent);
            } else {
              out.bad++;
              const k = `status ${status}, ${length} bytes`;
              out.badAnswers[k] = (out.badAnswers[k] ?? 0) + 1;
            }
            resolve();
          };
          c.sock.write(REQUEST);
        }),
    ),
  );
  lat.sort((a, b) => a - b);
  const pct = (q) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * q))] : null);
  return {
    ...out,
    ms: performance.now() - t0,
    p50: pct(0.5),
    p99: pct(0.99),
    max: lat.at(-1) ?? null,
    live: idle.size,
  };
}

function status() {
  const ages = [...closedIdleAges].sort((a, b) => a - b);
  return { live: idle.size, closedIdle, closedIdleAfterMs: ages.length ? ages[ages.length >> 1] : null };
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", async (line) => {
  const cmd = JSON.parse(line);
  let reply;
  if (cmd.cmd === "open") reply = await open(cmd);
  else if (cmd.cmd === "burst") reply = await burst(cmd);
  else if (cmd.cmd === "status") reply = status();
  else if (cmd.cmd === "close") {
    for (const c of idle) c.sock.resetAndDestroy();
    process.stdout.write(`${JSON.stringify({ closed: true })}\n`, () => process.exit(0));
    return;
  } else reply = { error: `unknown command ${cmd.cmd}` };
  process.stdout.write(`${JSON.stringify(reply)}\n`);
});
