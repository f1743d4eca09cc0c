// pnpm bench:profile — where a request's CPU goes (issue 21): simplehttp and its runtime's floor,
// each under the same wrk load as `pnpm bench --floors` (server on CPU 0, wrk on CPU 1, 50
// connections), with the runtime's sampling profiler on; each profile cut into stages
// (lib/profile-stages.mjs) as µs per request, side by side. Writes results/profile.md, and the
// profiles to results/raw/profile/ (open one in Chrome's DevTools or speedscope).
// usage: node bench/profile.mjs [--runtimes=node,bun,deno] [--scenarios=1k,304,404] [--seconds=5]
// Deno 2.9 has no flag that writes a CPU profile: a Deno server runs with --inspect, and
// lib/deno-inspector-profile.mjs asks its V8 for the same profile over the measured run.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeFixture } from "./lib/fixture.mjs";
import { CLIENT_CPU, pickLoadgen } from "./lib/load.mjs";
import { freePort, killAllSync, pinned, startGroup, stopGroup } from "./lib/proc.mjs";
import { STAGES, stagesOf } from "./lib/profile-stages.mjs";
import { DENO_RUN, SERVER_CPU } from "./lib/servers.mjs";

const bench = dirname(fileURLToPath(import.meta.url));
const repo = dirname(bench);
const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const runtimes = arg("runtimes", "node,bun,deno").split(",");
const scenarios = arg("scenarios", "1k,304,404").split(",");
const seconds = Number(arg("seconds", "5"));
const rawDir = join(bench, "results/raw/profile");

// The command unbundled (tsc's output, the same code the bundle holds): the stages are told
// apart by each function's source file (lib/profile-stages.mjs), which the bundle's chunks hide.
const cli = join(repo, "packages/cli/dist/cli.js");
const exitOnSignal = join(bench, "lib/exit-on-signal.mjs");
const bun = join(repo, "node_modules/bun/bin/bun.exe");
const deno = join(repo, "node_modules/deno/deno");
const RUNTIMES = {
  node: {
    exe: process.execPath,
    profile: (dir) => ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    floor: (dir) => ["--import", exitOnSignal, join(bench, "peers/node-file-floor.mjs"), dir],
  },
  bun: {
    exe: bun,
    profile: (dir) => ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    floor: (dir) => ["--preload", exitOnSignal, join(bench, "peers/bun-file-floor.mjs"), dir],
  },
  deno: {
    exe: deno,
    // Port 0: the inspector's address is read from the server's standard error.
    profile: () => [...DENO_RUN, "--inspect=127.0.0.1:0"],
    floor: (dir) => [join(bench, "peers/deno-file-floor.mjs"), dir],
    inspector: true,
  },
};

/** Serves `path` under load with the profiler on; µs per request by stage, and the requests. */
async function profiled(runtime, server, scenario, fixture, loadgen) {
  const { exe, profile, floor, inspector } = RUNTIMES[runtime];
  const port = await freePort();
  const dir = join(rawDir, `${runtime}-${server}-${scenario}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args =
    server === "simplehttp"
      ? [...profile(dir), cli, String(port), "-b", "127.0.0.1", "-d", fixture.root, "-q"]
      : [...profile(dir), ...floor(fixture.root), String(port)];
  const child = startGroup(...pinned(SERVER_CPU, exe, args), {
    stdio: inspector ? ["ignore", "ignore", "pipe"] : "ignore",
  });
  const inspectorUrl = inspector ? inspectorAddress(child) : null;
  const base = `http://127.0.0.1:${port}`;
  const path = scenario === "404" ? fixture.missing : "/1k.bin";
  try {
    const first = await answered(`${base}/1k.bin`);
    const headers = scenario === "304" ? { "If-None-Match": first.headers.get("etag") } : {};
    const load = { url: base + path, connections: 50, headers };
    const warm = await loadgen.run({ ...load, seconds: 1 });
    if (inspectorUrl !== null) {
      // Profiled over the measured run alone, so its requests alone divide the time.
      const out = join(dir, `${runtime}.cpuprofile`);
      const session = await inspectorProfile(await inspectorUrl, out);
      const measured = await loadgen.run({ ...load, seconds });
      await session.stop();
      return { ...stagesOf(out, measured.requests), rps: measured.rps };
    }
    const measured = await loadgen.run({ ...load, seconds });
    await stopGroup(child, 10_000);
    const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (file === undefined) throw new Error(`${runtime} ${server} wrote no profile in ${dir}`);
    return { ...stagesOf(join(dir, file), warm.requests + measured.requests), rps: measured.rps };
  } finally {
    await stopGroup(child, 1000);
  }
}

/** The inspector's WebSocket address, from the line Deno writes to standard error at start-up. */
function inspectorAddress(child) {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      text += chunk;
      const url = /ws:\/\/\S+/.exec(text)?.[0];
      if (url !== undefined) resolve(url);
    });
    child.once("exit", () => reject(new Error(`no inspector address in: ${text}`)));
  });
}

/**
 * Starts V8's sampling profiler in the server whose inspector is at `url`
 * (lib/deno-inspector-profile.mjs, on the load's CPU); `stop()` writes the profile to `out`.
 */
async function inspectorProfile(url, out) {
  const [file, args] = pinned(CLIENT_CPU, deno, ["run", "-A", join(bench, "lib/deno-inspector-profile.mjs"), url, out]);
  const driver = spawn(file, args, { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => driver.once("exit", resolve));
  await new Promise((resolve, reject) => {
    driver.stdout.on("data", (chunk) => String(chunk).includes("started") && resolve());
    exited.then(() => reject(new Error("the profiler could not start")));
  });
  return {
    async stop() {
      driver.stdin.end();
      if ((await exited) !== 0) throw new Error(`the profiler could not write ${out}`);
    },
  };
}

/** The first answer of a server starting up, within 10 s. */
async function answered(url) {
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const fmt = (us) => (us === undefined ? "" : us.toFixed(1));

function table(runtime, scenario, ours, floor) {
  const rows = [...STAGES.map(([stage]) => stage), "other (native, unnamed)"].filter(
    (stage) => ours.stages.has(stage) || floor.stages.has(stage),
  );
  const lines = [
    `### ${runtime}, ${scenario}`,
    "",
    `simplehttp ${Math.round(ours.rps)} req/s, the floor ${Math.round(floor.rps)} ` +
      "(profiler on: both slower than unprofiled).",
    "",
    "| stage | simplehttp µs/req | floor µs/req |",
    "| --- | --- | --- |",
    ...rows.map((stage) => `| ${stage} | ${fmt(ours.stages.get(stage))} | ${fmt(floor.stages.get(stage))} |`),
    `| **CPU in all** | **${fmt(ours.busy)}** | **${fmt(floor.busy)}** |`,
    "",
  ];
  return lines.join("\n");
}

async function main() {
  if (runtimes.includes("bun") && !existsSync(bun)) throw new Error("node_modules/bun is missing: pnpm install");
  if (runtimes.includes("deno") && !existsSync(deno)) throw new Error("node_modules/deno is missing: pnpm install");
  const fixture = makeFixture({ big: false });
  const loadgen = pickLoadgen(bench);
  const sections = [];
  const raw = {};
  for (const runtime of runtimes) {
    for (const scenario of scenarios) {
      const ours = await profiled(runtime, "simplehttp", scenario, fixture, loadgen);
      const floor = await profiled(runtime, "floor", scenario, fixture, loadgen);
      console.log(`${runtime} ${scenario}: simplehttp ${fmt(ours.busy)} µs/req, floor ${fmt(floor.busy)}`);
      sections.push(table(runtime, scenario, ours, floor));
      raw[`${runtime} ${scenario}`] = {
        ours: Object.fromEntries(ours.stages),
        floor: Object.fromEntries(floor.stages),
      };
    }
  }
  const head = [
    "# Where a request's CPU goes (issue 21)",
    "",
    `Run ${new Date().toISOString()} by \`node bench/profile.mjs\`: each server on CPU 0 under wrk (CPU 1, 50`,
    `connections), a 1 s warm-up and a ${seconds} s run, with its runtime's sampling profiler on. Each sample's`,
    "own function gives its stage (bench/lib/profile-stages.mjs); µs per request over the process's life,",
    "start-up and idle time left out. Deno's profile comes from its inspector over the measured run alone",
    "(lib/deno-inspector-profile.mjs), and sees its JavaScript thread: HTTP work Deno does outside",
    "JavaScript counts as idle there. The profiles: results/raw/profile/.",
    "",
  ];
  mkdirSync(join(bench, "results"), { recursive: true });
  writeFileSync(join(bench, "results/profile.md"), [...head, ...sections].join("\n"));
  writeFileSync(join(bench, "results/profile.json"), `${JSON.stringify(raw, null, 2)}\n`);
  console.log("wrote bench/results/profile.md");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    killAllSync();
    process.exit(1);
  },
);
