// The scale scenarios of issue 15, run by `node bench/run.mjs --scale[=h2,idle,folders,storage]`:
//   h2       HTTP/2 over TLS with h2load: simplehttp on Node and Deno, Caddy, nginx (lib/h2.mjs)
//   idle     10,000 idle keep-alive connections, memory per connection, a burst over all of them,
//            then more until each server fails, and how (lib/idle.mjs)
//   folders  listings of 10,000 and 100,000 entries: first byte, total, peak memory, and a small
//            file's latency while the big listing is served (lib/folders.mjs)
//   storage  R2 in Miniflare and S3 against moto: rates and storage calls per request (lib/storage.mjs)
// They have servers and measurements of their own, so they are not rows of the main table; they
// write results/scale.md and results/scale.json (some of the parts: results/scale-<parts>.*; quick:
// results/raw/quick-…), and every run leaves its raw figures in results/raw/<date>-scale.json.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { cpuSpeedGate } from "./cpu-speed.mjs";
import { makeFixture } from "./fixture.mjs";
import { CLIENT_CPU, pickLoadgen } from "./load.mjs";
import { killAllSync } from "./proc.mjs";
import { writeJson } from "./report.mjs";
import { scaleMarkdown } from "./scale-report.mjs";
import { SERVER_CPU } from "./servers.mjs";

export const PARTS = ["h2", "idle", "folders", "storage"];

export async function runScale({ flags, quick, cfg: base, machine, bench, root, log }) {
  const parts = flags.scale === true ? PARTS : String(flags.scale).split(",");
  const unknown = parts.filter((p) => !PARTS.includes(p));
  if (unknown.length) {
    log(`unknown --scale part(s): ${unknown.join(", ")} (known: ${PARTS.join(", ")})`);
    process.exit(2);
  }
  const num = (flag, dflt) => (flags[flag] != null ? Number(flags[flag]) : dflt);
  const list = (flag, dflt) => (flags[flag] != null ? String(flags[flag]).split(",").map(Number) : dflt);
  const cfg = {
    ...base,
    // HTTP/2: h2load's connections and streams per connection (the issue's -c 4 -m 100), and run length.
    h2Connections: num("h2-connections", 4),
    h2Streams: num("h2-streams", 100),
    h2Seconds: num("h2-seconds", quick ? 2 : 5),
    // Idle: the connections measured, the most the ramp tries, and how long they sit idle.
    idleConnections: num("idle-connections", quick ? 2000 : 10_000),
    idleMax: num("idle-max", quick ? 3000 : 40_000),
    idleSeconds: num("idle-seconds", 1),
    idleNofile: num("idle-nofile", 0), // 0: idle-max + 1024
    // Folders: the listing sizes, and how long the latency client runs (alone, then during listings).
    folderSizes: list("folder-sizes", [10_000, 100_000]),
    folderSeconds: num("folder-seconds", quick ? 3 : 5),
    folderRate: num("folder-rate", 500),
    // Storage: wrk's connections (a Python moto serves one request at a time per thread).
    storageConnections: num("storage-connections", 10),
  };
  const t0 = Date.now();
  log(`bench --scale: ${parts.join(", ")}; ${quick ? "quick" : "full"} mode, ${cfg.rounds} round(s) of the rates`);
  const fixture = makeFixture({ big: false });
  const cleanup = () => {
    killAllSync();
    fixture.cleanup();
  };
  for (const sig of ["SIGINT", "SIGTERM"])
    process.on(sig, () => {
      cleanup();
      process.exit(130);
    });
  const logDir = join(fixture.base, "logs");
  mkdirSync(logDir);
  const gate = cpuSpeedGate([SERVER_CPU, CLIENT_CPU]);
  await gate.seed();
  // --only narrows every part's servers too (names: simplehttp-node|bun|deno, node-ceiling,
  // deno-ceiling, caddy, nginx, r2, s3).
  const only = flags.only ? String(flags.only).split(",") : null;
  const pick = (list) => (only ? list.filter((s) => only.includes(s.name)) : list);
  const ctx = { cfg, quick, gate, loadgen: pickLoadgen(bench), fixture, bench, root, logDir, log, skipped: [], pick };
  const data = {};
  try {
    for (const part of parts) {
      const tp = Date.now();
      const mod = await import(`./${part}.mjs`);
      try {
        data[part] = await mod[`${part}Part`](ctx);
      } catch (e) {
        data[part] = { error: String(e.stack ?? e).slice(0, 1000) };
        log(`${part}: failed: ${e.stack ?? e}`);
      }
      data[part].seconds = (Date.now() - tp) / 1000;
      log(`${part}: ${data[part].seconds.toFixed(0)} s`);
    }
  } finally {
    cleanup();
  }
  machine["load average at end"] = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
  const meta = {
    date: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    parts,
    totalSeconds: (Date.now() - t0) / 1000,
    rounds: cfg.rounds,
    duration: cfg.duration,
    warmupSeconds: cfg.warmupSeconds,
    cfg,
    machine,
    skipped: ctx.skipped,
  };
  const outDir = join(bench, "results");
  const rawDir = join(outDir, "raw");
  mkdirSync(rawDir, { recursive: true });
  // Some of the parts write results/scale-<parts>.*, so that they never replace the whole run's scale.*.
  const name = parts.length === PARTS.length ? "scale" : `scale-${parts.join("-")}`;
  const stem = quick ? join(rawDir, `quick-${name}`) : join(outDir, name);
  writeJson(`${stem}.json`, { meta, ...data });
  writeFileSync(`${stem}.md`, `${scaleMarkdown({ meta, data })}\n`);
  writeJson(join(rawDir, `${meta.date.replace(/[:.]/g, "-")}-scale.json`), { meta, ...data });
  log(`bench --scale: done in ${meta.totalSeconds.toFixed(0)} s; wrote ${stem}.md`);
}
