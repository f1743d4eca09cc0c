// Scenarios of issue 6. Each first checks the answer (status, bytes); a wrong answer is a failure, not a number.
// measure() returns { value, unit, p99?, extra? }; check() returns { ok, na?, note?, headers? }.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { CLIENT_CPU } from "./load.mjs";
import { cpuSeconds, pinned, run, tree, treeCpuSeconds, treeFds, treeRss, waitQuiet } from "./proc.mjs";
import { SERVER_CPU } from "./servers.mjs";

const CLIENT = fileURLToPath(new URL("./client.mjs", import.meta.url));
const MiBf = 1024 * 1024;

/** One request, whole body in memory (or hashed when `hash`). */
export function get(port, path, headers = {}, { hash = false, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      const h = hash ? createHash("sha256") : null;
      const chunks = [];
      let length = 0;
      res.on("data", (c) => {
        length += c.length;
        h ? h.update(c) : chunks.push(c);
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          length,
          body: h ? null : Buffer.concat(chunks),
          sha256: h ? h.digest("hex") : null,
        }),
      );
      res.on("error", (e) => resolve({ status: 0, error: String(e) }));
    });
    req.on("error", (e) => resolve({ status: 0, error: String(e) }));
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
  });
}

/**
 * Whether the server answers the very next request after a file changed on disk: it serves the
 * file, the file is rewritten with other bytes and another length, and the next GET must carry
 * exactly the new bytes. A server answering from an index built at start-up (sirv without --dev)
 * sends the old length and validators, which truncates or pads the new file.
 */
export async function freshCheck(srv, fx) {
  const before = await get(srv.port, fx.fresh.path);
  if (before.status !== 200) return { ok: false, note: `status ${before.status} before the change` };
  const next = Buffer.from(`rewritten at ${Date.now()}: ${"x".repeat(before.length + 7)}\n`);
  writeFileSync(fx.fresh.file, next);
  const after = await get(srv.port, fx.fresh.path);
  if (after.status !== 200)
    return { ok: false, note: `status ${after.status} after the change${after.error ? ` (${after.error})` : ""}` };
  if (!after.body.equals(next))
    return {
      ok: false,
      note:
        `after a change: ${after.length} bytes (Content-Length ` +
        `${after.headers["content-length"]}) for a ${next.length}-byte file`,
    };
  return { ok: true };
}

const bad = (note) => ({ ok: false, note });
const good = (extra = {}) => ({ ok: true, ...extra });

const fileCheck = (path, bytes) => async (srv) => {
  const r = await get(srv.port, path);
  if (r.status !== 200) return bad(`status ${r.status}${r.error ? ` ${r.error}` : ""}, want 200`);
  if (!r.body.equals(bytes)) return bad(`body ${r.length} bytes differs from the ${bytes.length}-byte file`);
  return good();
};

const bigCheck = async (srv, fx) => {
  if (srv.bigChecked) return good(); // already read whole and hashed from this server process
  const r = await get(srv.port, fx.big.path, {}, { hash: true });
  if (r.status !== 200) return bad(`status ${r.status}, want 200`);
  if (r.length !== fx.big.size || r.sha256 !== fx.big.sha256)
    return bad(`got ${r.length} bytes (sha differs or short)`);
  srv.bigChecked = true;
  return good();
};

/** Warm-up: ctx.cfg.warmup requests (at most 0.3 s) over 8 keep-alive connections from the harness (JIT, caches). */
async function warm(srv, path, headers, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const one = () =>
    new Promise((res) => {
      const req = http.get({ host: "127.0.0.1", port: srv.port, path, headers, agent }, (r) => {
        r.resume();
        r.on("end", res);
      });
      req.on("error", res);
      req.setTimeout(10_000, () => req.destroy());
    });
  let left = count;
  const until = Date.now() + 300; // at most 0.3 s, whatever the rate
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left-- > 0 && Date.now() < until) await one();
    }),
  );
  agent.destroy();
}

/**
 * wrk/autocannon for ctx.cfg.duration seconds after a warm-up: the same load for
 * ctx.cfg.warmupSeconds, discarded. Measured here: a cold Node process answers its first second
 * of 50 concurrent clients with latencies up to 1 s (JIT, lazy loading), even a bare node:http
 * server, so a shorter warm-up made the first scenario's p99 a measure of start-up.
 */
export async function load(srv, ctx, path, { headers = {}, expectBad = false } = {}) {
  const o = { url: `${srv.base}${path}`, connections: ctx.cfg.connections, headers };
  const quietBefore = await waitQuiet(SERVER_CPU);
  if (ctx.cfg.warmupSeconds > 0) await ctx.loadgen.run({ ...o, seconds: ctx.cfg.warmupSeconds });
  else if (ctx.cfg.warmup > 0) await warm(srv, path, headers, ctx.cfg.warmup);
  // CPU time of the server's process tree, and of its CPU, over the measured run: CPU per request
  // is the server's own cost, which holds when the rate drops because something else took the CPU
  // (`otherCpu`: the CPU's busy time not spent by the server, as a share of the run).
  const { speed, ...r } = await ctx.gate.gatedRun(async () => {
    const pids = tree(srv.pid);
    const cpuBefore = cpuSeconds(SERVER_CPU),
      serverBefore = treeCpuSeconds(pids);
    const run = await ctx.loadgen.run({ ...o, seconds: ctx.cfg.duration });
    const cpuAfter = cpuSeconds(SERVER_CPU),
      serverSeconds = treeCpuSeconds(pids) - serverBefore;
    const elapsed = cpuAfter.total - cpuBefore.total;
    return {
      ...run,
      serverSeconds,
      otherCpu: elapsed > 0 ? Math.max(0, (cpuAfter.busy - cpuBefore.busy - serverSeconds) / elapsed) : null,
    };
  });
  const cpu = {
    cpuUs: r.requests > 0 ? (r.serverSeconds * 1e6) / r.requests : null,
    otherCpu: r.otherCpu,
    busyBefore: quietBefore,
    speed,
  };
  const wrongStatus = expectBad ? r.requests - r.bad : r.bad;
  if (wrongStatus > 0) return { fail: `${wrongStatus} of ${r.requests} responses had the wrong status under load` };
  if (r.requests === 0)
    return { fail: `not one response completed in the ${ctx.cfg.duration} s run (${r.socketErrors} socket errors)` };
  return {
    value: r.rps,
    unit: "req/s",
    p99: r.p99,
    extra: { requests: r.requests, ...(r.socketErrors ? { socketErrors: r.socketErrors } : {}), ...cpu },
  };
}

async function clientRun(srv, opts, seconds) {
  const arg = JSON.stringify({ port: srv.port, ...opts, seconds });
  const r = await run(...pinned(CLIENT_CPU, process.execPath, [CLIENT, arg]), { timeoutMs: (seconds + 30) * 1000 });
  try {
    return JSON.parse(r.out.trim().split("\n").pop());
  } catch {
    throw new Error(`client failed: ${r.err}`.slice(0, 300));
  }
}

export const SCENARIOS = [
  {
    id: "1k",
    title: "1 KiB file",
    unit: "req/s",
    higher: true,
    p99: true,
    check: (srv, fx) => fileCheck("/1k.bin", fx.files["/1k.bin"])(srv),
    measure: (srv, _fx, ctx) => load(srv, ctx, "/1k.bin"),
  },
  {
    id: "64k",
    title: "64 KiB file",
    unit: "req/s",
    higher: true,
    p99: true,
    check: (srv, fx) => fileCheck("/64k.bin", fx.files["/64k.bin"])(srv),
    measure: (srv, _fx, ctx) => load(srv, ctx, "/64k.bin"),
  },
  {
    id: "100m",
    title: "100 MiB file, 4 connections",
    unit: "MB/s",
    higher: true,
    check: bigCheck,
    async measure(srv, fx, ctx) {
      const o = { mode: "stream", path: fx.big.path, expectLength: fx.big.size, connections: ctx.cfg.bigConnections };
      if (ctx.cfg.warmup > 0) await clientRun(srv, o, 0.5);
      const { speed, ...r } = await ctx.gate.gatedRun(() => clientRun(srv, o, ctx.cfg.duration));
      if (r.bad) return { fail: `${r.bad} of ${r.responses} responses had the wrong status or length under load` };
      if (!r.bytes) return { fail: `no bytes received (${r.errors} errors)` };
      return {
        value: r.bytes / 1e6 / r.seconds,
        unit: "MB/s",
        extra: { responses: r.responses, errors: r.errors, speed },
      };
    },
  },
  {
    id: "listing",
    title: "1,000-entry directory listing",
    unit: "req/s",
    higher: true,
    p99: true,
    async check(srv, fx) {
      if (!srv.def.listing) return { ok: false, na: true, note: "no directory listings" };
      const r = await get(srv.port, fx.listing.path);
      if (r.status !== 200) return bad(`status ${r.status}, want 200`);
      const text = r.body.toString("utf8");
      const missing = fx.listing.names.filter((n) => !text.includes(n));
      return missing.length ? bad(`listing lacks ${missing.length} of ${fx.listing.names.length} entries`) : good();
    },
    measure: (srv, fx, ctx) => load(srv, ctx, fx.listing.path),
  },
  {
    id: "404",
    title: "404",
    unit: "req/s",
    higher: true,
    p99: true,
    async check(srv, fx) {
      const r = await get(srv.port, fx.missing);
      return r.status === 404 ? good() : bad(`status ${r.status}, want 404`);
    },
    measure: (srv, fx, ctx) => load(srv, ctx, fx.missing, { expectBad: true }),
  },
  {
    id: "304",
    title: "304 (If-None-Match)",
    unit: "req/s",
    higher: true,
    p99: true,
    async check(srv) {
      const first = await get(srv.port, "/1k.bin");
      const etag = first.headers?.etag;
      if (!etag) return { ok: false, na: true, note: "sends no ETag" };
      const r = await get(srv.port, "/1k.bin", { "If-None-Match": etag });
      if (r.status !== 304) return bad(`status ${r.status} for its own ETag, want 304`);
      if (r.length) return bad(`304 with a ${r.length}-byte body`);
      return good({ etag });
    },
    measure: (srv, _fx, ctx, chk) => load(srv, ctx, "/1k.bin", { headers: { "If-None-Match": chk.etag } }),
  },
  {
    id: "range",
    title: "1,000-byte range of a 1 MiB file",
    unit: "req/s",
    higher: true,
    p99: true,
    async check(srv, fx) {
      const { start, length, size, bytes } = fx.range;
      const spec = `bytes=${start}-${start + length - 1}`;
      const r = await get(srv.port, fx.range.path, { Range: spec });
      if (r.status !== 206) return bad(`status ${r.status} (${r.length} bytes), want 206`);
      if (!r.body.equals(bytes)) return bad(`206 body of ${r.length} bytes differs from the range`);
      const cr = r.headers["content-range"];
      if (cr !== `bytes ${start}-${start + length - 1}/${size}`) return bad(`Content-Range ${cr}`);
      return good({ spec });
    },
    measure: (srv, fx, ctx, chk) => load(srv, ctx, fx.range.path, { headers: { Range: chk.spec } }),
  },
  // Measured on a fresh server process (fresh: true), so memory grown by earlier scenarios cannot hide growth;
  // its check reads the whole file once and 200 small requests follow, so first-use costs are not counted.
  {
    id: "slow",
    title: "50 slow clients on the 100 MiB file (peak RSS growth)",
    unit: "MiB",
    higher: false,
    fresh: true,
    check: bigCheck,
    async measure(srv, fx, ctx) {
      const pids = () => tree(srv.pid);
      await warm(srv, "/1k.bin", {}, 200);
      await new Promise((r) => setTimeout(r, 300));
      const baseRss = treeRss(pids());
      const baseFds = treeFds(pids());
      let peak = baseRss;
      const sampler = setInterval(() => {
        peak = Math.max(peak, treeRss(pids()));
      }, 100);
      const o = {
        mode: "slow",
        path: fx.big.path,
        expectLength: fx.big.size,
        connections: ctx.cfg.slowClients,
        rate: ctx.cfg.slowRate,
      };
      let r;
      try {
        r = await clientRun(srv, o, ctx.cfg.slowSeconds);
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, treeRss(pids()));
      await new Promise((res) => setTimeout(res, 700)); // let the server notice the closed sockets
      const fdsAfter = treeFds(pids());
      if (r.bad) return { fail: `${r.bad} of ${r.clients} slow clients got the wrong status or length` };
      return {
        value: (peak - baseRss) / MiBf,
        unit: "MiB",
        extra: {
          baseRssMiB: baseRss / MiBf,
          peakRssMiB: peak / MiBf,
          perClientMBps: r.perClientRate / 1e6,
          fdsBefore: baseFds,
          fdsAfter,
          errors: r.errors,
        },
      };
    },
  },
];
