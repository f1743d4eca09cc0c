// Huge folders (issue 15): listings of 10,000 and 100,000 entries on each runtime (and nginx's
// autoindex for reference): time to first byte, total time, peak memory, and what a 100,000-entry
// listing does to a small file's latency for everyone else. The core streams listings over 2,000
// entries in chunks and the adapters yield every 1,000 stats; this is where that shows. Each size is
// timed twice over: as it is, and with `Accept-Encoding: gzip` (issue 21: a compressed listing must
// not be slower than the uncompressed one), each compressed answer unzipped and checked.
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { makeBigFolder } from "./fixture.mjs";
import { listingFloor } from "./floor.mjs";
import { CLIENT_CPU } from "./load.mjs";
import { pinned, run, tree, treeRss, waitQuiet } from "./proc.mjs";
import { median } from "./report.mjs";
import { findNginx, nginxConfig, ourServers, SERVER_CPU, startServer } from "./servers.mjs";

const CLIENT = fileURLToPath(new URL("./client.mjs", import.meta.url));
const REPEATS = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One listing: { status, ttfbMs (first byte of the response), totalMs, bytes (on the wire), names
 * (distinct entries named), encoding }. With `gzip` it asks for gzip, and unzips what came (once the
 * clock has stopped) to count the names.
 */
function timedListing(port, path, { gzip = false } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let first = null;
    const headers = gzip ? { "accept-encoding": "gzip" } : {};
    const req = http.get({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const totalMs = performance.now() - t0;
        const wire = Buffer.concat(chunks);
        const encoding = res.headers["content-encoding"] ?? null;
        let body;
        try {
          body = (encoding === "gzip" ? gunzipSync(wire) : wire).toString("latin1");
        } catch (e) {
          resolve({ status: res.statusCode, error: `its gzip does not unzip: ${e.message}` });
          return;
        }
        resolve({
          status: res.statusCode,
          ttfbMs: first,
          totalMs,
          bytes: wire.length,
          names: new Set(body.match(/e\d{6}\.txt/g) ?? []).size,
          encoding,
        });
      });
      res.on("error", (e) => resolve({ status: 0, error: String(e) }));
    });
    req.on("socket", (s) => s.once("data", () => (first ??= performance.now() - t0)));
    req.on("error", (e) => resolve({ status: 0, error: String(e) }));
    req.setTimeout(120_000, () => req.destroy(new Error("no answer in 120 s")));
  });
}

/** VmHWM (peak RSS) summed over a process tree, in bytes. */
function treeHwm(pids) {
  let sum = 0;
  for (const p of pids) {
    try {
      sum += Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))[1]) * 1024;
    } catch {}
  }
  return sum;
}

/** Resets the peak RSS of each process (Linux ≥ 4.0: `5` to clear_refs), so VmHWM is this listing's peak. */
function resetHwm(pids) {
  for (const p of pids) {
    try {
      writeFileSync(`/proc/${p}/clear_refs`, "5");
    } catch {}
  }
}

async function paced(port, cfg) {
  const arg = JSON.stringify({
    mode: "paced",
    port,
    path: "/1k.bin",
    expectLength: 1024,
    rate: cfg.folderRate,
    seconds: cfg.folderSeconds,
    connections: 32,
  });
  const r = await run(...pinned(CLIENT_CPU, process.execPath, [CLIENT, arg]), {
    timeoutMs: (cfg.folderSeconds + 30) * 1000,
  });
  try {
    return JSON.parse(r.out.trim().split("\n").pop());
  } catch {
    throw new Error(`paced client failed: ${r.err}`.slice(0, 300));
  }
}

/**
 * One size, one encoding: a listing thrown away (the kernel's caches, the JIT; a kept gzip), then
 * REPEATS timed; { ttfbMs, totalMs, bytes, rssBefore, hwm, peakGrowth, runs } or { error }. With
 * `gzip`, an answer that is not gzipped is an error: listings honour Accept-Encoding.
 */
async function timeSize(srv, f, { gzip = false }) {
  const wrong = (r) =>
    r.status !== 200
      ? `status ${r.status}${r.error ? ` ${r.error}` : ""}`
      : r.names !== f.count
        ? `the listing names ${r.names} of ${f.count} entries`
        : gzip && r.encoding !== "gzip"
          ? `asked for gzip, answered with Content-Encoding ${r.encoding ?? "none"}`
          : null;
  const first = wrong(await timedListing(srv.port, f.path, { gzip }));
  if (first) return { error: first };
  await waitQuiet(SERVER_CPU, { maxMs: 3000 });
  const pids = tree(srv.pid);
  resetHwm(pids);
  const rssBefore = treeRss(pids);
  const runs = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await timedListing(srv.port, f.path, { gzip }));
  const bad = runs.map(wrong).find(Boolean);
  if (bad) return { error: bad };
  const hwm = treeHwm(tree(srv.pid));
  return {
    ttfbMs: median(runs.map((r) => r.ttfbMs)),
    totalMs: median(runs.map((r) => r.totalMs)),
    bytes: runs[0].bytes,
    rssBefore,
    hwm,
    peakGrowth: Math.max(0, hwm - rssBefore),
    runs: runs.map(({ ttfbMs, totalMs }) => ({ ttfbMs, totalMs })),
  };
}

export async function foldersPart(ctx) {
  const { fixture, cfg, log, logDir, root } = ctx;
  const t0 = Date.now();
  const folders = cfg.folderSizes.map((n) => makeBigFolder(fixture.root, n));
  const biggest = folders.at(-1);
  log(
    `folders: made ${folders.map((f) => f.count.toLocaleString("en-US")).join(" and ")} ` +
      `empty files in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const out = {
    config: {
      sizes: cfg.folderSizes,
      repeats: REPEATS,
      rate: cfg.folderRate,
      seconds: cfg.folderSeconds,
      latencySize: biggest.count,
    },
    floor: listingFloor(biggest.dir, SERVER_CPU),
    servers: [],
  };
  const defs = ourServers({ root, dir: fixture.root });
  const nginx = findNginx();
  if (nginx) {
    defs.push({
      name: "nginx",
      label: "nginx autoindex (1 worker)",
      kind: "peer",
      runtime: "nginx",
      cmd: (p) => [nginx, ["-c", nginxConfig(fixture, p), "-p", join(fixture.base, "nginx"), "-e", "stderr"]],
    });
  }
  for (const def of ctx.pick(defs)) {
    const row = { name: def.name, label: def.label, sizes: [] };
    out.servers.push(row);
    log(`folders: ${def.label}`);
    let srv;
    try {
      srv = await startServer(def, { cwd: fixture.root, logDir });
    } catch (e) {
      row.error = e.message.slice(0, 200);
      continue;
    }
    try {
      for (const f of folders) {
        const z = { size: f.count };
        row.sizes.push(z);
        Object.assign(z, await timeSize(srv, f, {}));
        if (z.error) {
          log(`  ${f.count}: ${z.error}`);
          continue;
        }
        z.gzip = await timeSize(srv, f, { gzip: true });
        const g = z.gzip;
        log(
          `  ${f.count.toLocaleString("en-US")} entries: first byte ${z.ttfbMs.toFixed(1)} ` +
            `ms, total ${z.totalMs.toFixed(1)} ms, ${(z.bytes / 2 ** 20).toFixed(1)} MiB, ` +
            `peak RSS +${(z.peakGrowth / 2 ** 20).toFixed(1)} MiB; gzip: ` +
            (g.error
              ? g.error
              : `first byte ${g.ttfbMs.toFixed(1)} ms, total ${g.totalMs.toFixed(1)} ms, ` +
                `${(g.bytes / 2 ** 20).toFixed(2)} MiB, peak RSS +${(g.peakGrowth / 2 ** 20).toFixed(1)} MiB`),
        );
      }
      // The small file's latency, alone and then while the biggest listing is asked for over and over.
      if (row.sizes.at(-1)?.error == null) {
        await waitQuiet(SERVER_CPU, { maxMs: 3000 });
        const alone = await paced(srv.port, cfg);
        let stop = false,
          listings = 0,
          listingErrors = 0;
        const loop = (async () => {
          while (!stop) {
            const r = await timedListing(srv.port, biggest.path);
            if (r.status === 200 && r.names === biggest.count) listings++;
            else listingErrors++;
          }
        })();
        await sleep(50); // the first listing under way before the first small request
        const during = await paced(srv.port, cfg);
        stop = true;
        await loop;
        row.latency = { alone, during, listings, listingErrors };
        log(
          `  1 KiB p50/p99 alone ${alone.p50?.toFixed(2)}/${alone.p99?.toFixed(2)} ` +
            `ms, during listings ${during.p50?.toFixed(2)}/${during.p99?.toFixed(2)} ` +
            `ms (max ${during.max?.toFixed(0)} ms; ${listings} listings meanwhile)`,
        );
      }
    } catch (e) {
      row.error = String(e.message ?? e).slice(0, 300);
      log(`  failed: ${row.error}`);
    } finally {
      await srv.stop();
    }
  }
  return out;
}
