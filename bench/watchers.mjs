// Live reload's watcher, measured against the candidates (issue 22; docs/live-reload.md has the
// results): on a tree of 20 site folders, a node_modules/ of FOLDERS folders and a .git/, each
// watcher is started, then a file is saved in place (latency, 5 times), saved by an editor's atomic
// rename (twice: the second runs on a new inode), written into a folder made after the start, and
// 500 files are written at once by another process, as a build does. It reports the set-up time,
// the inotify watches the process holds (read from /proc/self/fdinfo), and what came through.
//
//   node bench/watchers.mjs simplehttp|recursive|chokidar|parcel [FOLDERS]
//   bun bench/watchers.mjs simplehttp|recursive [FOLDERS]
//   deno run -A bench/watchers.mjs simplehttp|recursive [FOLDERS]
//
// simplehttp's watcher comes from the build (pnpm run build); chokidar and @parcel/watcher from the
// bench's own install (npm install --prefix bench). Linux only (inotify).
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const which = process.argv[2] ?? "simplehttp";
const FOLDERS = Number(process.argv[3] ?? 10_000);
const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
const repo = new URL("..", import.meta.url).pathname;
const base = join(tmpdir(), `simplehttp-watchers-${process.pid}`);
const root = join(base, "site");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for (let i = 0; i < 20; i++) {
  mkdirSync(join(root, `d${i}`), { recursive: true });
  writeFileSync(join(root, `d${i}`, "a.html"), "x");
}
for (let i = 0; i < FOLDERS; i++) {
  const dir = join(root, "node_modules", `p${i % 100}`, `q${i}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "i.js"), "x");
}
mkdirSync(join(root, ".git", "objects"), { recursive: true });

let events = [];
let waiting = null;
const seen = (path) => {
  events.push([performance.now(), path]);
  if (waiting?.test(path)) waiting.resolve(performance.now());
};
/** When the first event matching `test` comes after `act()`, in ms; NaN after 3 s. */
async function timed(test, act) {
  const start = performance.now();
  const at = new Promise((resolve) => {
    waiting = { test, resolve };
    setTimeout(() => resolve(Number.NaN), 3000);
  });
  act();
  const end = await at;
  waiting = null;
  return Math.round((end - start) * 10) / 10;
}

const starters = {
  async simplehttp() {
    const { ignoredByDefault, watchTree } = await import(`${repo}packages/core/dist/live/index.js`);
    const io =
      runtime === "deno"
        ? (await import(`${repo}packages/deno/dist/watch.js`)).denoFolderWatcher(root, console.error)
        : (await import(`${repo}packages/disk/dist/watch.js`)).nodeFolderWatcher(root, console.error);
    const feed = { changed: (path) => seen(path ?? "(unnamed)"), subscribe: () => () => {} };
    const watch = await watchTree(io, feed, ignoredByDefault);
    return () => watch.close();
  },
  async recursive() {
    if (runtime === "deno") {
      const watcher = Deno.watchFs(root, { recursive: true });
      (async () => {
        for await (const event of watcher) for (const path of event.paths) seen(path.slice(root.length + 1));
      })();
      return () => watcher.close();
    }
    const { watch } = await import("node:fs");
    const watcher = watch(root, { recursive: true }, (_, name) => seen(String(name)));
    return () => watcher.close();
  },
  async chokidar() {
    const { watch } = await import(`${repo}bench/node_modules/chokidar/index.js`);
    const ignored = (path) => /(^|\/)(\.[^/]*|node_modules)(\/|$)/.test(path.slice(root.length));
    const watcher = watch(root, { ignored, ignoreInitial: true });
    await new Promise((resolve) => watcher.on("ready", resolve));
    watcher.on("all", (_, path) => seen(path.slice(root.length + 1)));
    return () => watcher.close();
  },
  async parcel() {
    const { default: watcher } = await import(`${repo}bench/node_modules/@parcel/watcher/index.js`);
    const report = (_, list) => {
      for (const event of list) seen(event.path.slice(root.length + 1));
    };
    const subscription = await watcher.subscribe(root, report, { ignore: ["node_modules", ".git"] });
    return () => subscription.unsubscribe();
  },
};

/** The inotify watches this process holds, over all its inotify instances. */
function inotifyWatches() {
  let watches = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    let link = "";
    try {
      link = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (!link.includes("inotify")) continue;
    const info = readFileSync(`/proc/self/fdinfo/${fd}`, "utf8");
    watches += info.split("\n").filter((line) => line.startsWith("inotify wd:")).length;
  }
  return watches;
}

const began = performance.now();
const close = await starters[which]();
const setupMs = Math.round(performance.now() - began);
await sleep(300);
const watches = inotifyWatches();

const latencyMs = [];
for (let i = 0; i < 5; i++) {
  latencyMs.push(
    await timed(
      (path) => path.endsWith("d3/a.html"),
      () => writeFileSync(join(root, "d3/a.html"), `${i}`),
    ),
  );
  await sleep(100);
}
const atomicMs = [];
for (const round of [1, 2]) {
  const save = () => {
    writeFileSync(join(root, "d4/.a.html.tmp"), `saved ${round}`);
    renameSync(join(root, "d4/.a.html.tmp"), join(root, "d4/a.html"));
  };
  atomicMs.push(await timed((path) => path.endsWith("d4/a.html"), save));
  await sleep(200);
}
mkdirSync(join(root, "fresh"));
await sleep(300);
const newFolderMs = await timed(
  (path) => path.endsWith("fresh/n.css"),
  () => writeFileSync(join(root, "fresh/n.css"), "x"),
);
await sleep(300);
events = [];
writeFileSync(join(root, "node_modules/p1/q1/i.js"), "y");
await sleep(300);
const nodeModulesEvents = events.filter(([, path]) => path.includes("node_modules")).length;

mkdirSync(join(root, "burst"));
await sleep(300);
events = [];
const start = performance.now();
// Written by another process, as a build does: this one's loop stays free to take the events.
const dir = JSON.stringify(join(root, "burst"));
const writer = `const fs=require("fs");for(let i=0;i<500;i++)fs.writeFileSync(${dir}+"/f"+i+".html","b")`;
await new Promise((resolve) => execFile("node", ["-e", writer], resolve));
await sleep(1500);
const names = new Set(events.map(([, path]) => path));
const burst = {
  filesSeen: [...Array(500).keys()].filter((i) => names.has(`burst/f${i}.html`)).length,
  lastEventMs: events.length === 0 ? null : Math.round((events.at(-1)[0] - start) * 10) / 10,
};
close();
rmSync(base, { recursive: true, force: true });
const result = { runtime, which, folders: FOLDERS, setupMs, watches, latencyMs, atomicMs, newFolderMs };
console.log(JSON.stringify({ ...result, nodeModulesEvents, burst }));
process.exit(0);
