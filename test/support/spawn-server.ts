/** Spawns a server process that prints one JSON line when ready, and stops it. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The real binaries: killing pnpm's `.bin` shims would orphan a listening server. */
export const BUN = `${REPO_ROOT}node_modules/bun/bin/bun.exe`;
export const DENO = `${REPO_ROOT}node_modules/deno/deno`;
/**
 * The pnpm running the tests (`npm_execpath`, its JS entry, started with this Node), never one on
 * the PATH: a fresh machine has none. Run outside pnpm (vitest alone), the README's own pnpm.
 */
export const PNPM: readonly [string, ...string[]] = /pnpm/.test(process.env.npm_execpath ?? "")
  ? [process.execPath, process.env.npm_execpath ?? ""]
  : ["npx", "-y", "pnpm@10.34.9"];

export interface SpawnedServer {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/**
 * Runs `command args` and resolves with the `{url, port}` it prints as its first JSON line.
 * Rejects if the process exits first or says nothing within `timeoutMs`.
 */
export function spawnServer(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<SpawnedServer> {
  const { cwd = REPO_ROOT, timeoutMs = 20_000, env = process.env } = options;
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<SpawnedServer>((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")}: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal}) before it was ready`));
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line === undefined || !stdout.includes("\n")) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const { url, port } = JSON.parse(line) as { url: string; port: number };
      resolve({ url, port, pid: child.pid ?? -1, child, stop });
    });
  });
}
