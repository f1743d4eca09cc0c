// Process plumbing: spawn pinned to a CPU in its own process group, kill groups, free ports,
// and read RSS / open fds of a process tree from /proc.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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
    try {
      process.kill(-pid, sig);
    } catch {
      /* group already gone */
    }
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
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  live.clear();
}

/** Run a command to completion, capturing output (load generators, clients). */
export function run(file, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { ...opts, detached: true });
    live.set(child.pid, child);
    let out = "",
      err = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (err += d));
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          try {
            process.kill(-child.pid, "SIGKILL");
          } catch {}
        }, opts.timeoutMs)
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
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      } catch {
        /* raced with exit */
      }
    }
  }
  return out;
}

const PAGE = 4096;
/** Summed resident set size (bytes) of a process tree. */
export function treeRss(pids) {
  let sum = 0;
  for (const p of pids) {
    try {
      sum += Number(readFileSync(`/proc/${p}/statm`, "utf8").split(" ")[1]) * PAGE;
    } catch {}
  }
  return sum;
}

export function treeFds(pids) {
  let n = 0;
  for (const p of pids) {
    try {
      n += readdirSync(`/proc/${p}/fd`).length;
    } catch {}
  }
  return n;
}

export const procAvailable = () => existsSync("/proc/self/statm");

export function pinSelf(cpu) {
  if (hasCommand("taskset"))
    spawnSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], { stdio: "ignore" });
}

// Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every Linux build in use.
const TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/** CPU seconds (user + system) a process tree has used so far. Fields 14 and 15 of /proc/PID/stat. */
export function treeCpuSeconds(pids) {
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      // The command name (field 2) may hold spaces; count fields from the `)` that closes it.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* raced with exit */
    }
  }
  return ticks / TICKS;
}

/** { busy, total } CPU seconds of one CPU since boot, from /proc/stat (busy: all but idle and iowait). */
export function cpuSeconds(cpu) {
  const line = readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`cpu${cpu} `));
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - v[3] - v[4]) / TICKS, total: total / TICKS };
}

/**
 * Waits until `cpu` is quiet (busy under `threshold` over a 250 ms sample), at most `maxMs`, and
 * returns the last busy fraction. Between runs nothing of ours should run there: a busy CPU means
 * a straggler (a server still exiting, the kernel writing back the fixture) that would slow the
 * next server for reasons of its own.
 */
export async function waitQuiet(cpu, { threshold = 0.15, maxMs = 10_000 } = {}) {
  const until = Date.now() + maxMs;
  for (;;) {
    const a = cpuSeconds(cpu);
    await new Promise((r) => setTimeout(r, 250));
    const b = cpuSeconds(cpu);
    const busy = (b.busy - a.busy) / Math.max(b.total - a.total, 1e-9);
    if (busy < threshold || Date.now() >= until) return busy;
  }
}
