/**
 * Starting fixture-server.ts under Deno from a Node test, and watching it from outside: its access
 * log, its open descriptors (/proc), its exit.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { AccessLogEntry } from "@simplehttp/core";
import { DENO, REPO_ROOT } from "../../../test/support/spawn-server.ts";

// DENO is the real binary, never node_modules/.bin/deno: that shim runs `node bin.cjs`, which
// starts Deno with spawnSync, so killing the shim would leave the server running.
const FIXTURE = fileURLToPath(new URL("./fixture-server.ts", import.meta.url));
const STARTUP_MS = 20_000;

export type LogEntry = Omit<AccessLogEntry, "time"> & { time: string };
export interface Fixture {
  child: ChildProcess;
  port: number;
  url: string;
  hostname: string;
  logs: LogEntry[];
  exited: Promise<number | null>;
}
export interface ListenError {
  error: { name: string; code?: string; message: string };
  exited: Promise<number | null>;
}
export interface LaunchOptions {
  root: string;
  /** The adapter module, relative to this directory: "../src/index.ts" or "../dist/index.js". */
  module: string;
  port?: number;
  /** Paths Deno's own permissions refuse (NotCapable). */
  denyRead?: string[];
  followSymlinks?: boolean;
  /**
   * Run with -A instead of reads of the root (and the code) only: Deno lets only a fully trusted
   * script read /proc/self. `denyRead` is then ignored. @default false
   */
  allowAll?: boolean;
}

const children = new Set<ChildProcess>();
/** Kills the fixtures a test failed to stop (call it in afterAll). */
export function killLeftovers(): void {
  for (const child of children) child.kill("SIGKILL");
}

/** Starts the fixture, serving `root` with `module`'s serve(); resolves on its first line. */
export function launch({
  root,
  module,
  port = 0,
  denyRead = [],
  followSymlinks = false,
  allowAll = false,
}: LaunchOptions): Promise<Fixture | ListenError> {
  const permissions = allowAll
    ? ["-A"]
    : [
        "--allow-net=127.0.0.1",
        `--allow-read=${root},${join(REPO_ROOT, "packages")},${join(REPO_ROOT, "node_modules")}`,
        ...(denyRead.length > 0 ? [`--deny-read=${denyRead.join(",")}`] : []),
      ];
  const args = [
    "run",
    ...permissions,
    FIXTURE,
    root,
    String(port),
    module,
    ...(followSymlinks ? ["--follow-symlinks"] : []),
  ];
  const child = spawn(DENO, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const logs: LogEntry[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`fixture: no answer within ${STARTUP_MS} ms; stderr: ${stderr}`));
    }, STARTUP_MS);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited (${code}) before listening; stderr: ${stderr}`));
    });
    if (child.stdout === null) throw new Error("the fixture was spawned without a stdout pipe");
    createInterface({ input: child.stdout }).on("line", (line) => {
      const message = JSON.parse(line) as {
        url?: string;
        port?: number;
        hostname?: string;
        log?: LogEntry;
        error?: ListenError["error"];
      };
      if (message.log) return void logs.push(message.log);
      clearTimeout(timer);
      if (message.error) resolve({ error: message.error, exited });
      else
        resolve({
          child,
          url: message.url ?? "",
          port: message.port ?? 0,
          hostname: message.hostname ?? "",
          logs,
          exited,
        });
    });
  });
}

/** `launch()`, failing when the fixture could not listen. */
export async function launchOrThrow(options: LaunchOptions): Promise<Fixture> {
  const started = await launch(options);
  if ("error" in started) throw new Error(`fixture could not listen: ${started.error.message}`);
  return started;
}

/** SIGTERM, and the exit code once the process is gone (SIGKILL after `timeoutMs`). */
export async function stop(fixture: Fixture, timeoutMs = 5000): Promise<number | null | "timeout"> {
  fixture.child.kill("SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs).unref());
  const result = await Promise.race([fixture.exited, timeout]);
  if (result === "timeout") fixture.child.kill("SIGKILL");
  return result;
}

/** Polls `find` every 20 ms until it returns something, or fails after `timeoutMs`. */
export async function waitFor<T>(find: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`waitFor: nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a download of `target` and resolves with the socket once the first bytes arrived. */
export function startDownload(port: number, target: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no data for ${target} within 5 s`));
    }, 5000);
    socket.on("connect", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
    socket.once("data", () => {
      clearTimeout(timer);
      socket.pause(); // stop reading: the server's writes back up, and its read stays mid-file
      resolve(socket);
    });
    socket.on("error", reject);
  });
}
