#!/usr/bin/env node
// Side-by-side benchmark of simplehttp (Node, Bun, Deno) and its peers; see issue 6 and bench/README.md.
//   node bench/run.mjs [--quick] [--rounds=N] [--duration=S] [--only=name,name] [--scenarios=id,id]
//   node bench/run.mjs --ceilings   simplehttp and its runtimes' ceilings only, on 1k 64k 304 404 (issue 15)
//   node bench/run.mjs --floors     each adapter ÷ its runtime's floor, Node ÷ sirv, and the start-up (issue 21)
//   node bench/run.mjs --startup    the start-up alone (lib/startup-part.mjs)
//   node bench/run.mjs --scale[=h2,idle,folders,storage]   the scale scenarios of issue 15 (lib/scale.mjs)
// Env: BENCH_QUICK=1, BENCH_ROUNDS, BENCH_DURATION, BENCH_WARMUP, BENCH_SLOW_SECONDS, BENCH_SLOW_ROUNDS,
//      BENCH_LOADGEN=autocannon (force the fallback load generator).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH, "..");
const log = (...a) => console.error(...a);

// The bench has its own package.json outside the pnpm workspace; install its pinned peers on first run.
if (!existsSync(join(BENCH, "node_modules"))) {
  log("bench: installing bench dependencies (npm install --prefix bench) ...");
  const r = spawnSync("npm", ["install", "--prefix", BENCH, "--no-audit", "--no-fund"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!existsSync(join(ROOT, "packages/cli/bundle/cli.js"))) {
  log("bench: building simplehttp (tsc -b, then the command's bundle) ...");
  for (const [command, ...args] of [
    ["npx", "tsc", "-b"],
    ["node", "packages/cli/scripts/bundle.mjs"],
  ]) {
    const r = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const { makeFixture } = await import("./lib/fixture.mjs");
const { defineServers, startServer, SERVER_CPU } = await import("./lib/servers.mjs");
const { SCENARIOS, freshCheck } = await import("./lib/scenarios.mjs");
const { pickLoadgen, CLIENT_CPU } = await import("./lib/load.mjs");
const { cpuSpeedGate } = await import("./lib/cpu-speed.mjs");
const { listingFloor } = await import("./lib/floor.mjs");
const { killAllSync, pinSelf } = await import("./lib/proc.mjs");
const { aggregate, markdown, writeJson } = await import("./lib/report.mjs");
const { floorComparisons, floorTables, floorsMarkdown } = await import("./lib/floors-report.mjs");
const { startupPart, runStartupOnly } = await import("./lib/startup-part.mjs");
const { startupSection } = await import("./lib/startup-report.mjs");
const { ratiosSvg } = await import("./lib/svg.mjs");

const flags = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = a.match(/^--([^=]+)(?:=(.*))?$/);
    if (!m) {
      log(`unknown argument ${a}`);
      process.exit(2);
    }
    return [m[1], m[2] ?? true];
  }),
);
const quick = Boolean(flags.quick || process.env.BENCH_QUICK === "1");
const num = (flag, env, dflt) => Number(flags[flag] ?? process.env[env] ?? dflt);
const cfg = {
  rounds: num("rounds", "BENCH_ROUNDS", quick ? 1 : 3),
  duration: num("duration", "BENCH_DURATION", quick ? 2 : 3),
  warmup: num("warmup", "BENCH_WARMUP", 200), // requests before each measured run when warmupSeconds is 0
  warmupSeconds: num("warmup-seconds", "BENCH_WARMUP_SECONDS", 1), // the same load, discarded, before each rate
  connections: 50,
  bigConnections: 4,
  slowClients: 50,
  slowRate: 1e6,
  slowSeconds: num("slow-seconds", "BENCH_SLOW_SECONDS", quick ? 3 : 10),
  slowRounds: num("slow-rounds", "BENCH_SLOW_ROUNDS", 1),
};
// --ceilings: the comparison of issue 15 alone (each adapter ÷ its runtime's ceiling), short enough
// to run twice in a row; --only and --scenarios still narrow it.
const ceilingsOnly = Boolean(flags.ceilings);
const CEILING_RUN = [
  "simplehttp-node",
  "simplehttp-bun",
  "simplehttp-deno",
  "node-ceiling",
  "bun-ceiling",
  "deno-ceiling",
  "deno-ceiling-readfile",
  "deno-ceiling-stream",
];
// --floors: issue 21's comparison (each adapter ÷ its runtime's floor, Node ÷ sirv, each floor ÷ its
// runtime's ceiling) on 1k 64k 304 404 (the targets are on 1k 304 404; 64k is where a mid-size body
// path shows), and the start-up; --only and --scenarios still narrow it.
const floorsOnly = Boolean(flags.floors);
const FLOOR_RUN = [
  "simplehttp-node",
  "simplehttp-bun",
  "simplehttp-deno",
  "node-file-floor",
  "bun-file-floor",
  "deno-file-floor",
  "sirv",
  "node-ceiling",
  "bun-ceiling",
  "deno-ceiling",
];
const only = flags.only ? String(flags.only).split(",") : ceilingsOnly ? CEILING_RUN : floorsOnly ? FLOOR_RUN : null;
const scenarioIds = flags.scenarios
  ? String(flags.scenarios).split(",")
  : ceilingsOnly
    ? ["1k", "64k", "304", "404"]
    : floorsOnly
      ? ["1k", "64k", "304", "404"]
      : null;
const scenarios = scenarioIds ? SCENARIOS.filter((s) => scenarioIds.includes(s.id)) : SCENARIOS;

const cpu =
  (readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model ?? "?";
const machine = {
  nproc: spawnSync("nproc", { encoding: "utf8" }).stdout?.trim() || String(os.availableParallelism()),
  CPU: cpu,
  kernel: os.release(),
  memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
  date: new Date().toISOString().slice(0, 10),
  "load average at start": os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" "),
};
pinSelf(1); // keep the harness's own work off the server's CPU
if (flags.scale) {
  // The scale scenarios (HTTP/2, idle connections, huge folders, storage) have servers and shapes
  // of their own; they run on their own and write results/scale.md.
  const { runScale } = await import("./lib/scale.mjs");
  await runScale({ flags, quick, cfg, machine, bench: BENCH, root: ROOT, log });
  process.exit(0);
}
// The runtimes the start-up part times (bun and deno from the root install, when there).
const runtimes = {
  node: process.execPath,
  bun: existsSync(join(ROOT, "node_modules/bun/bin/bun.exe")) ? join(ROOT, "node_modules/bun/bin/bun.exe") : null,
  deno: existsSync(join(ROOT, "node_modules/deno/deno")) ? join(ROOT, "node_modules/deno/deno") : null,
};
const startupRuns = num("startup-runs", "BENCH_STARTUP_RUNS", quick ? 3 : 5);
if (flags.startup && !floorsOnly) {
  const fixture = makeFixture({ big: false });
  process.on("exit", killAllSync);
  try {
    await runStartupOnly({ root: ROOT, bench: BENCH, fixture, runtimes, runs: startupRuns, quick, machine, log });
  } finally {
    killAllSync();
    fixture.cleanup();
  }
  process.exit(0);
}
const t0 = Date.now();
log(`bench: ${quick ? "quick" : "full"} mode, ${cfg.rounds} round(s), ${cfg.duration} s runs; making the fixture ...`);
// --floors reads no large file: the 100 MiB one is left out.
const fixture = makeFixture({ big: !floorsOnly });
// What the listing scenario cannot beat: its 1,000 lstat calls, timed from C (null without cc).
const floor = listingFloor(fixture.listing.dir, SERVER_CPU);
const cleanup = () => {
  killAllSync();
  fixture.cleanup();
};
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
process.on("exit", killAllSync);

const { servers, skipped } = defineServers({ root: ROOT, bench: BENCH, fixture, only });
const loadgen = pickLoadgen(BENCH);
// Every measured run waits for both CPUs to run at speed, and is made again when one slowed down
// meanwhile (lib/cpu-speed.mjs says why).
const gate = cpuSpeedGate([SERVER_CPU, CLIENT_CPU]);
await gate.seed();
const ctx = { cfg, loadgen, gate };
const logDir = join(fixture.base, "logs");
mkdirSync(logDir);
const results = [];
const freshness = {};
// The start-up first, while no server runs: in --floors and the full run (not --ceilings, nor --no-startup).
let startup = null;
if (!ceilingsOnly && !flags["no-startup"])
  startup = await startupPart({ root: ROOT, bench: BENCH, fixture, runtimes, runs: startupRuns, log }).catch((e) => {
    log(`startup: failed: ${e.stack ?? e}`);
    return { error: String(e.message ?? e) };
  });

const record = (round, def, sc, r) => {
  if (r.note) r.note = String(r.note).replace(/\s+/g, " ").trim().slice(0, 200);
  results.push({ round, server: def.name, kind: def.kind, runtime: def.runtime, scenario: sc.id, ...r });
  const shown =
    r.status === "ok"
      ? `${r.value.toFixed(1)} ${r.unit}${r.p99 != null ? `, p99 ${r.p99.toFixed(2)} ms` : ""}`
      : `${r.status}: ${r.note}`;
  log(`  ${def.name.padEnd(16)} ${sc.id.padEnd(8)} ${shown}`);
};

try {
  for (let round = 0; round < cfg.rounds; round++) {
    const k = round % servers.length;
    const order = [...servers.slice(k), ...servers.slice(0, k)];
    log(`round ${round + 1}/${cfg.rounds}: ${order.map((s) => s.name).join(", ")}`);
    for (const def of order) {
      let srv = null;
      const ts = Date.now();
      try {
        for (const sc of scenarios) {
          if (sc.id === "slow" && round >= cfg.slowRounds) continue;
          // A ceiling answers only what it is the ceiling of.
          if (def.scenarios && !def.scenarios.includes(sc.id)) continue;
          if (srv && sc.fresh) {
            await srv.stop();
            srv = null;
          } // this scenario wants a new server process
          if (!srv || srv.child.exitCode != null || srv.child.signalCode != null) {
            if (srv) await srv.stop();
            try {
              srv = await startServer(def, { cwd: fixture.root, logDir });
            } catch (e) {
              srv = null;
              record(round, def, sc, { status: "fail", note: e.message.slice(0, 200) });
              continue;
            }
            // Once per server: does the next request see a change on disk? (Issue 6: no stale cache.)
            // Ceilings are left out: those that answer from memory cannot see a change, by design.
            if (def.kind !== "ceiling" && !(def.name in freshness)) {
              freshness[def.name] = await freshCheck(srv, fixture).catch((e) => ({
                ok: false,
                note: String(e.message ?? e),
              }));
              log(
                `  ${def.name.padEnd(16)} fresh    ` +
                  (freshness[def.name].ok ? "sees a change at the next request" : `STALE: ${freshness[def.name].note}`),
              );
            }
          }
          let chk;
          try {
            chk = await sc.check(srv, fixture);
          } catch (e) {
            chk = { ok: false, note: String(e.message ?? e) };
          }
          if (chk.na) {
            record(round, def, sc, { status: "n/a", note: chk.note });
            continue;
          }
          if (!chk.ok) {
            record(round, def, sc, { status: "fail", note: chk.note });
            continue;
          }
          try {
            const m = await sc.measure(srv, fixture, ctx, chk);
            if (m.fail) record(round, def, sc, { status: "fail", note: m.fail });
            else
              record(round, def, sc, {
                status: "ok",
                value: m.value,
                unit: m.unit,
                p99: m.p99 ?? null,
                extra: m.extra,
              });
          } catch (e) {
            record(round, def, sc, { status: "fail", note: String(e.message ?? e).slice(0, 200) });
          }
        }
      } finally {
        if (srv) await srv.stop();
        log(`  ${def.name}: ${((Date.now() - ts) / 1000).toFixed(1)} s`);
      }
    }
  }
} finally {
  cleanup();
}

const totalSeconds = (Date.now() - t0) / 1000;
machine["load average at end"] = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(" ");
const wrkV =
  loadgen.name === "wrk" ? spawnSync("wrk", ["-v"], { encoding: "utf8" }).stdout.split(" [")[0] : "autocannon";
const meta = {
  date: new Date().toISOString(),
  mode: `${quick ? "quick" : "full"}${ceilingsOnly ? ", ceilings only" : floorsOnly ? ", floors" : ""}`,
  ...cfg,
  totalSeconds,
  loadgen: wrkV,
  slowRoundsNote:
    cfg.slowRounds >= cfg.rounds
      ? "every round"
      : `first ${cfg.slowRounds} round${cfg.slowRounds > 1 ? "s" : ""} only, to keep the run short`,
  machine,
  versions: servers.map((s) => ({ name: s.name, label: s.label, version: s.version })),
  skipped,
  freshness,
  listingFloor: floor,
};
const agg = aggregate({ results, servers, scenarios, freshness });
const outDir = join(BENCH, "results");
const rawDir = join(outDir, "raw");
mkdirSync(rawDir, { recursive: true });
// --ceilings and --floors write results/ceilings.* and floors.*, so they never replace the whole run's latest.*.
const kind = ceilingsOnly ? "ceilings" : floorsOnly ? "floors" : null;
const stem = quick ? join(rawDir, kind ? `quick-${kind}` : "quick") : join(outDir, kind ?? "latest");
const floors = floorComparisons(results);
const startupLines = !startup
  ? []
  : startup.error
    ? ["## Start-up", "", `The start-up part failed: ${startup.error}`, ""]
    : startupSection(startup);
writeJson(`${stem}.json`, { meta, summary: agg, floors, startup, results });
const text = floorsOnly
  ? floorsMarkdown({ agg, meta, results, startup: startup?.error ? null : startup })
  : markdown({
      agg,
      meta,
      sections: [
        ...(floors.rows.length
          ? ["## Summary: each adapter ÷ its runtime's floor (issue 21)", "", ...floorTables(floors)]
          : []),
        ...startupLines,
      ],
    });
writeFileSync(`${stem}.md`, `${text}\n`);
if (!kind) writeFileSync(quick ? `${stem}-ratios.svg` : join(outDir, "ratios.svg"), ratiosSvg({ agg, meta }));
writeJson(join(rawDir, `${meta.date.replace(/[:.]/g, "-")}${kind ? `-${kind}` : ""}.json`), { meta, startup, results });
log(`bench: done in ${totalSeconds.toFixed(0)} s; wrote ${stem}.md`);
