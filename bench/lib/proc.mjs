// Process plumbing: spawn pinned to a CPU in its own process group, kill groups, free ports,
// and read RSS / open fds of a process tree from /proc.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import net from "node:net";

const live = new Map(); // pid -> ChildProcess (process-group leaders we started)

export function hasCommand(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** `taskset -c CPU file args`, or the bare command when taskset is missing. */
export function pinned(cpu, file, args) {
  return hasCommand("taskset") ? ["taskset", ["-c", String(cpu), file, ...args]] : [file, args];
}

/** Start a long-running process (a server) in its own process group. */
export function startGroup(file, args, opts = {}) {
  const child = spawn(file, args, { ...opts, detached: true });
  live.set(child.pid, child);
  child.exited = new Promise((res) => child.once("exit", (code, sig) => res({ code, sig })));
  child.exited.then(() => live.delete(child.pid));
  return child;
}

/** SIGTERM the group, then SIGKILL whatever is left of it (nginx workers, deno children). */
export async function stopGroup(child, graceMs = 2000) {
  const pid = child.pid;
  const kill = (sig) => {
    try { process.kill(-pid, sig); } catch { /* group already gone */ }
  };
  kill("SIGTERM");
  const t = new Promise((res) => setTimeout(res, graceMs, "timeout"));
  await Promise.race([child.exited, t]);
  kill("SIGKILL");
  await Promise.race([child.exited, new Promise((res) => setTimeout(res, 1000))]);
  live.delete(pid);
}

export function killAllSync() {
  for (const pid of live.keys()) {
    try { process.kill(-pid, "SIGKILL"); } catch { /* gone */ }
  }
  live.clear();
}

/** Run a command to completion, capturing output (load generators, clients). */
export function run(file, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { ...opts, detached: true });
    live.set(child.pid, child);
    let out = "", err = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (err += d));
    const timer = opts.timeoutMs
      ? setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch {} }, opts.timeoutMs)
      : null;
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      live.delete(child.pid);
      resolve({ code, signal, out, err });
    });
    child.on("error", (e) => resolve({ code: -1, out, err: String(e) }));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** pid and all its descendants, via /proc/PID/task/TID/children. */
export function tree(pid) {
  const out = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    let tasks = [];
    try { tasks = readdirSync(`/proc/${p}/task`); } catch { continue; }
    for (const t of tasks) {
      try {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      } catch { /* raced with exit */ }
    }
  }
  return out;
}

const PAGE = 4096;
/** Summed resident set size (bytes) of a process tree. */
export function treeRss(pids) {
  let sum = 0;
  for (const p of pids) {
    try { sum += Number(readFileSync(`/proc/${p}/statm`, "utf8").split(" ")[1]) * PAGE; } catch {}
  }
  return sum;
}

export function treeFds(pids) {
  let n = 0;
  for (const p of pids) {
    try { n += readdirSync(`/proc/${p}/fd`).length; } catch {}
  }
  return n;
}

export const procAvailable = () => existsSync("/proc/self/statm");

export function pinSelf(cpu) {
  if (hasCommand("taskset")) spawnSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], { stdio: "ignore" });
}
