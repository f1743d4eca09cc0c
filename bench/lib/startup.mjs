// Start-up (issue 21): from the command to its banner line, as a person who types it waits for it.
// Each command is spawned with its output piped (not a TTY), on 127.0.0.1 and a free port, in the
// fixture's folder, free to run on both CPUs (`taskset -c 0,1`: the harness itself is pinned to
// CPU 1, and its children would inherit that); the time is from just before the spawn to the moment
// the line that names its address arrives on the harness's end of the pipe. Then the server must
// answer the 1 KiB file with its bytes (over HTTPS for --tls), or the start counts as failed.
// One start of each command is thrown away first (the page cache, Deno's module cache), then the
// commands take turns, in an order that rotates, `runs` times; a command whose runs spread over more
// than SPREAD of their median gets as many again.
import { execFileSync } from "node:child_process";
import http from "node:http";
import https from "node:https";
import { join } from "node:path";
import { freePort, pinned, startGroup, stopGroup, waitQuiet } from "./proc.mjs";
import { median } from "./report.mjs";

/** Issue 21's targets, in ms from the command to the banner: Node ≤ 90, `--tls` ≤ 150 on every runtime. */
export const STARTUP_TARGETS = {
  "simplehttp-node": 90,
  "simplehttp-node-tls": 150,
  "simplehttp-bun-tls": 150,
  "simplehttp-deno-tls": 150,
};
/** What issue 21 measured (median of 5, piped, --bind 127.0.0.1), for comparison. */
export const ISSUE_MS = {
  "simplehttp-node": 146,
  "simplehttp-node-tls": 255,
  "simplehttp-bun": 43,
  "simplehttp-deno": 70,
  python: 52,
  "http-server": 121,
  serve: 210,
};
const SPREAD = 0.3;
/**
 * Variables of this machine's environment that a person's would not have, and that change a start:
 * with NODE_EXTRA_CA_CERTS naming the system's bundle (as here), Node parses every certificate of it
 * before running a line, about 50 ms on this machine (the "Node printing a line" rows show it).
 */
export const NOT_A_USERS = ["NODE_EXTRA_CA_CERTS"];

/** The environment the commands start in: this one, without NOT_A_USERS, with `extra`. */
export function startupEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const name of NOT_A_USERS) delete env[name];
  return env;
}
const READY_MS = 20_000;
const ADDRESS = /(https?:\/\/127\.0\.0\.1:\d+)/;

/** The real Python binary (not pyenv's shim, a shell script that would add its own start-up). */
function pythonBinary() {
  try {
    return execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

/**
 * The commands timed: simplehttp on each runtime, plain and with --tls; Python, http-server and
 * serve; and each runtime printing one line and nothing else (what no command on it can beat).
 * `needsPort`: the command takes no port 0 (http-server reads 0 as "the default", 8080).
 */
export function startupCommands({ root, bench, runtimes }) {
  const cli = join(root, "packages/cli/bin/simplehttp.js");
  const nm = join(bench, "node_modules");
  const { node, bun, deno } = runtimes;
  const ours = ["0", "--bind", "127.0.0.1"];
  const list = [];
  const simplehttp = (runtime, name, file, pre) => {
    for (const tls of [false, true])
      list.push({
        name: `simplehttp-${name}${tls ? "-tls" : ""}`,
        label: `simplehttp on ${runtime}${tls ? " --tls" : ""}`,
        group: "simplehttp",
        cmd: () => [file, [...pre, cli, ...ours, ...(tls ? ["--tls"] : [])]],
        tls,
        check: true,
      });
  };
  simplehttp("Node", "node", node, []);
  if (bun) simplehttp("Bun", "bun", bun, []);
  if (deno) simplehttp("Deno", "deno", deno, ["run", "-A"]);
  const py = pythonBinary();
  // PYTHONUNBUFFERED: piped, Python holds its banner in a buffer until it exits.
  if (py)
    list.push({
      name: "python",
      label: "python3 -m http.server",
      group: "peer",
      cmd: () => [py, ["-m", "http.server", "0", "--bind", "127.0.0.1"]],
      env: { PYTHONUNBUFFERED: "1" },
      check: true,
    });
  list.push(
    {
      name: "http-server",
      label: "http-server",
      group: "peer",
      needsPort: true,
      cmd: (p) => [node, [join(nm, "http-server/bin/http-server"), "-a", "127.0.0.1", "-p", String(p)]],
      check: true,
    },
    {
      // NO_UPDATE_CHECK: serve asks the npm registry for a newer version at every start otherwise.
      name: "serve",
      label: "serve",
      group: "peer",
      cmd: () => [node, [join(nm, "serve/build/main.js"), "-l", "tcp://127.0.0.1:0"]],
      env: { NO_UPDATE_CHECK: "1" },
      check: true,
    },
  );
  const alone = (name, label, file, args) =>
    list.push({ name, label, group: "runtime", cmd: () => [file, args], ready: /^ready$/ });
  alone("node-alone", "Node printing a line", node, ["-e", 'console.log("ready")']);
  if (NOT_A_USERS.some((name) => process.env[name] !== undefined))
    list.push({
      name: "node-alone-env",
      label: `Node printing a line, with ${NOT_A_USERS.filter((n) => process.env[n] !== undefined).join(", ")}`,
      group: "runtime",
      cmd: () => [node, ["-e", 'console.log("ready")']],
      ready: /^ready$/,
      keepEnv: true,
    });
  if (bun) alone("bun-alone", "Bun printing a line", bun, ["-e", 'console.log("ready")']);
  if (deno) alone("deno-alone", "Deno printing a line", deno, ["eval", 'console.log("ready")']);
  if (py) alone("python-alone", "Python printing a line", py, ["-c", 'print("ready")']);
  return list;
}

function getBody(url) {
  return new Promise((resolve) => {
    const get = url.startsWith("https:") ? https.get : http.get;
    const req = get(url, { agent: false, rejectUnauthorized: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on("error", (e) => resolve({ status: 0, error: String(e) }));
    });
    req.on("error", (e) => resolve({ status: 0, error: String(e) }));
    req.setTimeout(10_000, () => req.destroy(new Error("no answer in 10 s")));
  });
}

/** One start: { ms, line } once the ready line is out, or { error }. The process is stopped after. */
export async function timeStart(def, { cwd, fixture }) {
  const port = def.needsPort ? await freePort() : 0;
  const [file, args] = pinned("0,1", ...def.cmd(port));
  const ready = def.ready ?? ADDRESS;
  let out = "",
    err = "";
  const t0 = performance.now();
  const child = startGroup(file, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: def.keepEnv ? { ...process.env, ...def.env } : startupEnv(def.env),
  });
  const seen = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: `no ready line in ${READY_MS / 1000} s` }), READY_MS);
    child.stdout.on("data", (d) => {
      const at = performance.now();
      out += d;
      const line = out.split("\n").find((l, i, all) => i < all.length - 1 && ready.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve({ ms: at - t0, line: line.trim() });
      }
    });
    child.stderr.on("data", (d) => (err += d));
    child.exited.then((r) => {
      clearTimeout(timer);
      resolve({ error: `exited (${JSON.stringify(r)}) before its ready line: ${err.slice(-300)}` });
    });
  });
  try {
    if (seen.error || !def.check) return seen;
    const base = ADDRESS.exec(seen.line)[1];
    const r = await getBody(`${base}/1k.bin`);
    if (r.status !== 200 || !r.body.equals(fixture.files["/1k.bin"]))
      return {
        ...seen,
        error: `GET /1k.bin: status ${r.status}${r.error ? ` ${r.error}` : ""}, ${r.body?.length} bytes`,
      };
    return seen;
  } finally {
    await stopGroup(child);
  }
}

/** Quiet CPUs before a start: nothing of ours (a server still exiting) should share them. */
const quiet = () => Promise.all([waitQuiet(0, { maxMs: 3000 }), waitQuiet(1, { maxMs: 3000 })]);

/**
 * Times every command `runs` times (see the module comment); returns
 * { runs, commands: [{ name, label, group, ms: [...], median, min, max, error?, line }] }.
 */
export async function measureStartup({ defs, cwd, fixture, runs, log }) {
  const rows = defs.map((d) => ({ name: d.name, label: d.label, group: d.group, tls: !!d.tls, ms: [], errors: [] }));
  const once = async (i) => {
    await quiet();
    return timeStart(defs[i], { cwd, fixture });
  };
  for (let i = 0; i < defs.length; i++) {
    const r = await once(i); // thrown away: caches
    if (r.error) rows[i].errors.push(`first start: ${r.error}`);
    else rows[i].line = r.line;
  }
  const round = async (k) => {
    const order = defs.map((_, i) => (i + k) % defs.length);
    for (const i of order) {
      const r = await once(i);
      if (r.error) rows[i].errors.push(r.error);
      else rows[i].ms.push(r.ms);
    }
  };
  for (let k = 0; k < runs; k++) await round(k);
  const spread = (row) => row.ms.length > 1 && (Math.max(...row.ms) - Math.min(...row.ms)) / median(row.ms) > SPREAD;
  const noisy = rows.filter(spread).map((r) => r.name);
  if (noisy.length) {
    log(`startup: ${noisy.join(", ")} spread over ${SPREAD * 100}% of their median; ${runs} more runs of each`);
    for (let k = 0; k < runs; k++) await round(runs + k);
  }
  for (const row of rows) {
    Object.assign(row, {
      median: median(row.ms),
      min: row.ms.length ? Math.min(...row.ms) : null,
      max: row.ms.length ? Math.max(...row.ms) : null,
      target: STARTUP_TARGETS[row.name] ?? null,
      issue: ISSUE_MS[row.name] ?? null,
    });
    log(
      `  ${row.label.padEnd(26)} ${row.median == null ? "fail" : `${row.median.toFixed(1)} ms`}` +
        `${row.ms.length ? ` (${row.min.toFixed(1)}–${row.max.toFixed(1)}, ${row.ms.length} runs)` : ""}` +
        `${row.errors.length ? `; ${row.errors.length} failed: ${row.errors[0]}` : ""}`,
    );
  }
  return { runs, extended: noisy, commands: rows };
}
