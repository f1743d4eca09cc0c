// Where simplehttp's start-up on Node goes, module by module: what to load only when it is needed.
//  1. The graph: the command runs once under module-graph-register.mjs, whose resolve hook records
//     every module it loads up to its banner, static and dynamic imports alike (the adapter, the
//     certificate code of --tls), and is stopped there.
//  2. The cost, in fresh processes (import-timer.mjs), the median over `runs` of each: all of those
//     modules loaded together by one module that imports them, as the command loads them; and each
//     imported alone, one by one, every module after all it imports (post-order), so that each
//     import loads, links and runs that module only: its own cost, which shows what to make lazy.
//     The bin and the module it imports (the command itself, which serves when imported) are left out.
// Beside the whole start-up of the same command (startup.mjs) and Node's own (printing a line), the
// rest is the command's own work before its banner: arguments, the folder's stat, the address
// check, the certificate (--tls), listen.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { pinned, run, startGroup, stopGroup } from "./proc.mjs";
import { median } from "./report.mjs";
import { startupEnv } from "./startup.mjs";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const REGISTER = here("./module-graph-register.mjs");
const TIMER = here("./import-timer.mjs");

/** The modules the command loads to its banner, as [parentURL, url] pairs in the order resolved. */
async function recordGraph({ node, cli, args, cwd, out }) {
  rmSync(out, { force: true });
  const child = startGroup(node, ["--import", REGISTER, cli, ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: startupEnv({ MODULE_GRAPH_OUT: out }),
  });
  let text = "";
  const ok = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 20_000);
    child.stdout.on("data", (d) => {
      text += d;
      if (/\n/.test(text)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.exited.then(() => resolve(false));
  });
  await stopGroup(child);
  if (!ok) throw new Error(`the command under the module hooks printed no banner: ${text.slice(0, 200)}`);
  return readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** Every module once, each after all it imports (depth-first post-order from the entry). */
function postOrder(edges) {
  const children = new Map();
  let entry = null;
  for (const [parent, url] of edges) {
    if (parent === null) entry ??= url;
    else {
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(url);
    }
  }
  const order = [];
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url)) return;
    seen.add(url);
    for (const c of children.get(url) ?? []) visit(c);
    order.push(url);
  };
  visit(entry);
  // The entry (the bin) and what it imports (the command, which serves when imported) are not timed.
  const skip = new Set([entry, ...(children.get(entry) ?? [])]);
  return order.filter((u) => !skip.has(u));
}

/** The package a module belongs to: `@simplehttp/core`, `@peculiar/x509`, `node: built-ins`. */
export function packageOf(url, root) {
  if (url.startsWith("node:")) return "node: built-ins";
  const path = fileURLToPath(url);
  const ours = /\/packages\/([^/]+)\/dist\//.exec(path);
  if (ours) return `@simplehttp/${ours[1]}`;
  const dep = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  return dep ? dep[1] : relative(root, path);
}

/** A module's name in the report: its path within its package, or the built-in's name. */
function moduleName(url, root) {
  if (url.startsWith("node:")) return url;
  const path = fileURLToPath(url);
  const ours = /\/packages\/([^/]+\/dist\/.*)$/.exec(path);
  if (ours) return `packages/${ours[1]}`;
  const dep = /.*\/node_modules\/(.*)$/.exec(path);
  return dep ? dep[1] : relative(root, path);
}

/**
 * The breakdown of one command line (`args` after the bin): { modules: [{ url, name, pkg, ms }],
 * packages: [{ pkg, modules, ms }], sumMs (of the modules' own costs), allMs (all loaded together),
 * bootMs, importMs (an import()'s own cost, taken off each module's), loaderMs (the loader's first
 * use) }, each ms a median over `runs` fresh processes.
 */
export async function moduleBreakdown({ node, root, args, cwd, runs }) {
  const cli = join(root, "packages/cli/bin/simplehttp.js");
  const stem = join(tmpdir(), `simplehttp-bench-modules-${process.pid}`);
  try {
    const urls = postOrder(await recordGraph({ node, cli, args, cwd, out: `${stem}.jsonl` }));
    writeFileSync(`${stem}.json`, JSON.stringify(urls));
    const timer = async (mode) => {
      const r = await run(...pinned("0,1", node, [TIMER, `${stem}.json`, mode]), {
        cwd,
        env: startupEnv(),
        timeoutMs: 60_000,
      });
      try {
        return JSON.parse(r.out.trim().split("\n").pop());
      } catch {
        throw new Error(`import-timer ${mode} failed: ${r.err}`.slice(0, 300));
      }
    };
    const samples = [],
      together = [];
    for (let i = 0; i < runs; i++) {
      samples.push(await timer("each"));
      together.push(await timer("all"));
    }
    // What any import() costs by itself here (import-timer.mjs), taken off each module's time.
    const importMs = median(samples.map((s) => median(s.empty.slice(10))));
    const loaderMs = median(samples.map((s) => s.empty.slice(0, 10).reduce((a, b) => a + b, 0) - 10 * importMs));
    const modules = urls.map((url, i) => ({
      url,
      name: moduleName(url, root),
      pkg: packageOf(url, root),
      ms: Math.max(0, median(samples.map((s) => s.ms[i])) - importMs),
    }));
    const byPkg = new Map();
    for (const m of modules) {
      const p = byPkg.get(m.pkg) ?? { pkg: m.pkg, modules: 0, ms: 0 };
      p.modules++;
      p.ms += m.ms;
      byPkg.set(m.pkg, p);
    }
    return {
      args,
      modules,
      packages: [...byPkg.values()].sort((a, b) => b.ms - a.ms),
      sumMs: modules.reduce((a, m) => a + m.ms, 0),
      allMs: median(together.map((s) => s.allMs)),
      bootMs: median(together.map((s) => s.bootMs)),
      importMs,
      loaderMs,
    };
  } finally {
    rmSync(`${stem}.json`, { force: true });
    rmSync(`${stem}.jsonl`, { force: true });
  }
}
