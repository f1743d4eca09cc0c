// Huge folders (issue 15): listings of 10,000 and 100,000 entries on each runtime (and nginx's
// autoindex for reference): time to first byte, total time, peak memory, and what a 100,000-entry
// listing does to a small file's latency for everyone else. The core streams listings over 2,000
// entries in chunks and the adapters yield every 1,000 stats; this is where that shows.
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeBigFolder } from "./fixture.mjs";
import { listingFloor } from "./floor.mjs";
import { CLIENT_CPU } from "./load.mjs";
import { pinned, run, tree, treeRss, waitQuiet } from "./proc.mjs";
import { median } from "./report.mjs";
import { findNginx, nginxConfig, ourServers, SERVER_CPU, startServer } from "./servers.mjs";

const CLIENT = fileURLToPath(new URL("./client.mjs", import.meta.url));
const REPEATS = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One listing: { status, ttfbMs (first byte of the response), totalMs, bytes, names (distinct entries named) }. */
function timedListing(port, path) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let first = null;
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const totalMs = performance.now() - t0;
        const body = Buffer.concat(chunks).toString("latin1");
        resolve({
          status: res.statusCode,
          ttfbMs: first,
          totalMs,
          bytes: body.length,
          names: new Set(body.match(/e\d{6}\.txt/g) ?? []).size,
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
        // Once, thrown away: the kernel's dentry and inode caches, the JIT.
        const first = await timedListing(srv.port, f.path);
        if (first.status !== 200 || first.names !== f.count) {
          z.error =
            first.status !== 200
              ? `status ${first.status}${first.error ? ` ${first.error}` : ""}`
              : `the listing names ${first.names} of ${f.count} entries`;
          log(`  ${f.count}: ${z.error}`);
          continue;
        }
        await waitQuiet(SERVER_CPU, { maxMs: 3000 });
        const pids = tree(srv.pid);
        resetHwm(pids);
        const rssBefore = treeRss(pids);
        const runs = [];
        for (let i = 0; i < REPEATS; i++) runs.push(await timedListing(srv.port, f.path));
        const wrong = runs.find((r) => r.status !== 200 || r.names !== f.count);
        if (wrong) {
          z.error = `status ${wrong.status}, ${wrong.names} of ${f.count} entries`;
          continue;
        }
        Object.assign(z, {
          ttfbMs: median(runs.map((r) => r.ttfbMs)),
          totalMs: median(runs.map((r) => r.totalMs)),
          bytes: runs[0].bytes,
          rssBefore,
          hwm: treeHwm(tree(srv.pid)),
          runs: runs.map(({ ttfbMs, totalMs }) => ({ ttfbMs, totalMs })),
        });
        z.peakGrowth = Math.max(0, z.hwm - rssBefore);
        log(
          `  ${f.count.toLocaleString("en-US")} entries: first byte ${z.ttfbMs.toFixed(1)} ` +
            `ms, total ${z.totalMs.toFixed(1)} ms, ${(z.bytes / 2 ** 20).toFixed(1)} MiB, ` +
            `peak RSS +${(z.peakGrowth / 2 ** 20).toFixed(1)} MiB`,
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
