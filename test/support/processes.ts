/**
 * Spawns a command in its own process group, waits for a stdout line matching a pattern, and stops the
 * whole group. For commands that start the server through wrappers (npx → sh → node, bun x → node):
 * signalling only the wrapper's PID can orphan a listening server, signalling the group cannot.
 * (spawn-server.ts waits for a JSON line, which the `simplehttp` CLI does not print.)
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface GroupProcess {
  child: ChildProcess;
  /** The leader's PID, which is also the process group ID. */
  pid: number;
  /** The first match of the pattern in a stdout line. */
  match: RegExpExecArray;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves when the leader has exited and every process sharing its stdout/stderr pipes (the
   * group's wrappers and server) has closed them.
   */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Groups still alive, SIGKILLed if the test process exits without stopping them. */
const live = new Set<number>();
process.once("exit", () => {
  for (const pid of live) signalGroup(pid, "SIGKILL");
});

/** Sends `signal` to the whole group; false if it no longer exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `command args` as the leader of a new process group and resolves once a stdout line matches
 * `pattern`. Rejects (after SIGKILLing the group) on a spawn error, an exit before the line, or no
 * line within `timeoutMs`; the error carries the output so far.
 */
export function spawnUntilLine(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; pattern: RegExp; timeoutMs?: number },
): Promise<GroupProcess> {
  const { cwd, env = process.env, pattern, timeoutMs = 20_000 } = options;
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const pid = child.pid;
  if (pid !== undefined) live.add(pid);
  let out = "";
  let err = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (err += text));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("close", (code, signal) => {
      if (pid !== undefined) live.delete(pid);
      resolve({ code, signal });
    }),
  );
  return new Promise<GroupProcess>((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (pid !== undefined) signalGroup(pid, "SIGKILL");
      // Give the pipes a moment to flush what was already written, then report it.
      void within(closed, 1000).then(() =>
        reject(new Error(`${command} ${args.join(" ")}: ${why}\n--- stdout:\n${out}\n--- stderr:\n${err}`)),
      );
    };
    const timer = setTimeout(() => fail(`no line matching ${pattern} within ${timeoutMs} ms`), timeoutMs);
    child.once("error", (error) => fail(`could not start: ${error.message}`));
    void closed.then(({ code, signal }) =>
      fail(`exited (${code ?? signal}) before printing a line matching ${pattern}`),
    );
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      out += text;
      if (settled || pid === undefined) return;
      for (const line of out.split("\n").slice(0, -1)) {
        const match = pattern.exec(line);
        if (match === null) continue;
        settled = true;
        clearTimeout(timer);
        resolve({ child, pid, match, stdout: () => out, stderr: () => err, closed });
        return;
      }
    });
  });
}

/**
 * SIGTERMs the group and waits up to `graceMs` for it to close; then SIGKILLs it and waits up to 2 s more.
 * Returns how it ended; `graceful` is false if SIGKILL was needed (or the group never closed).
 */
export async function stopGroup(
  proc: Pick<GroupProcess, "pid" | "closed">,
  graceMs = 5000,
): Promise<{ graceful: boolean; code: number | null; signal: NodeJS.Signals | null }> {
  signalGroup(proc.pid, "SIGTERM");
  const first = await within(proc.closed, graceMs);
  if (first !== "timeout") return { graceful: true, ...first };
  signalGroup(proc.pid, "SIGKILL");
  const second = await within(proc.closed, 2000);
  return second === "timeout" ? { graceful: false, code: null, signal: null } : { graceful: false, ...second };
}
