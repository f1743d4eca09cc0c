/**
 * Runs the `simplehttp` CLI as a child process under Node, Bun or Deno, and waits on its output
 * with bounded waits. Every process started here is SIGKILLed by {@linkcode killAll} (call it in
 * `afterEach`) if the test did not stop it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { toolPath } from "../../../test/setup/system-packages.ts";
import { BUN, DENO } from "../../../test/support/spawn-server.ts";

export const BIN = fileURLToPath(new URL("../bin/simplehttp.js", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** How to start the CLI under each runtime, as README's "The command" shows. */
export const RUNTIMES = {
  Node: { command: process.execPath, prefix: [BIN] },
  Bun: { command: BUN, prefix: [BIN] },
  Deno: { command: DENO, prefix: ["run", "-A", BIN] },
} as const;
export type RuntimeName = keyof typeof RUNTIMES;
export const RUNTIME_NAMES = Object.keys(RUNTIMES) as RuntimeName[];

/**
 * `Serving HTTP on ADDR port N (http://ADDR:N/) on Node 20.20.2 ...`: groups are scheme, address,
 * port, URL host, URL port, runtime.
 */
export const BANNER =
  /^Serving (HTTPS?) on (\S+) port (\d+) \((https?):\/\/(\S+):(\d+)\/\) on (Node|Bun|Deno) \d+\.\d+\.\d+ \.\.\.$/m;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
}

export interface RunOptions {
  runtime?: RuntimeName;
  /** Replaces the environment (default: this process's, without colour variables). */
  env?: NodeJS.ProcessEnv;
  /** Run something else than the CLI: the command and all its arguments. */
  raw?: { command: string; args: string[] };
}

const children: ChildProcess[] = [];

/** This process's environment without what changes colours, so each test sets its own. */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.PORT;
  return { ...env, ...extra };
}

/** Spawns the CLI with `args` (or `options.raw`), collecting its output. */
export function run(args: readonly string[], options: RunOptions = {}): Run {
  const { command, prefix } = RUNTIMES[options.runtime ?? "Node"];
  const [file, argv] = options.raw ? [options.raw.command, options.raw.args] : [command, [...prefix, ...args]];
  const child = spawn(file, argv, {
    stdio: ["ignore", "pipe", "pipe"],
    env: options.env ?? plainEnv(),
    cwd: REPO_ROOT,
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The CLI's command line under `runtime`, as README's "The command" shows it. */
export function cliCommand(args: readonly string[], runtime: RuntimeName = "Node"): string[] {
  const { command, prefix } = RUNTIMES[runtime];
  return [command, ...prefix, ...args];
}

const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * `command` under a pseudo-terminal (util-linux `script`): stdout and stderr are both the
 * terminal, read through `script`. The command is the session leader and its own foreground
 * process group, as in a shell; what it starts joins that group.
 */
export function inTerminal(command: readonly string[], env: NodeJS.ProcessEnv = plainEnv()): Run {
  const line = ["exec", ...command.map(shellQuote)].join(" ");
  return run([], { env, raw: { command: toolPath("script"), args: ["-q", "-e", "-c", line, "/dev/null"] } });
}

/** Fields of /proc/PID/stat after the name (which may hold spaces): state, ppid, pgrp, session, tty, tpgid, … */
function procStat(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** The process `script` started (the command, through `exec`), found by its parent in /proc. */
export function childOf(pid: number): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(procStat(entry)[1]) === pid) return Number(entry);
    } catch {
      // gone while we looked
    }
  }
  throw new Error(`script (${pid}) has no child`);
}

/**
 * Presses Ctrl-C in the terminal of {@linkcode inTerminal}: SIGINT to the terminal's foreground
 * process group, every process in it, as the terminal driver sends it.
 */
export function pressCtrlC(running: Run): void {
  const foreground = Number(procStat(childOf(running.child.pid ?? -1))[5]);
  if (!(foreground > 0)) throw new Error("the terminal has no foreground process group");
  process.kill(-foreground, "SIGINT");
}

/**
 * SIGTERMs the CLI that {@linkcode inTerminal} started, not `script` (which would wait two seconds
 * before it SIGKILLs its child), and expects the clean exit that `script -e` passes on.
 */
export async function stopInTerminal(running: Run): Promise<void> {
  process.kill(childOf(running.child.pid ?? -1), "SIGTERM");
  expect(await withTimeout(running.exited, 5000, "exit after SIGTERM")).toEqual({ code: 0, signal: null });
}

/** SIGKILLs every process a test left running. */
export function killAll(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves as soon as `find` returns something, checked on every chunk of output (so a caller can
 * act the moment a line appears); rejects after `ms` or when the process exits first.
 */
export function waitUntil<T>(running: Run, find: () => T | undefined, ms: number, what: string): Promise<T> {
  const { child } = running;
  return new Promise<T>((resolve, reject) => {
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      child.stdout?.off("data", check);
      child.stderr?.off("data", check);
      child.off("exit", exited);
      settle();
    };
    const check = (): void => {
      const found = find();
      if (found !== undefined) finish(() => resolve(found));
    };
    const exited = (): void =>
      finish(() =>
        reject(
          new Error(
            `process exited while waiting for ${what}; stdout: ${running.stdout()} stderr: ${running.stderr()}`,
          ),
        ),
      );
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `timed out after ${ms} ms waiting for ${what}; stdout: ${running.stdout()} stderr: ${running.stderr()}`,
            ),
          ),
        ),
      ms,
    );
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.on("exit", exited);
    if (child.exitCode !== null || child.signalCode !== null) exited();
    else check();
  });
}

/** `fetch`, aborted when no response came within `ms`: a server that hangs fails the test, not the run. */
export function get(url: string | URL, init: RequestInit = {}, ms = 10_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}

/** Waits for the banner and returns its parts. */
export async function banner(
  running: Run,
  ms = 15_000,
): Promise<{ scheme: string; hostname: string; port: number; runtime: string }> {
  const match = await waitUntil(running, () => BANNER.exec(running.stdout()) ?? undefined, ms, "the banner");
  return { scheme: match[1] ?? "", hostname: match[2] ?? "", port: Number(match[3]), runtime: match[7] ?? "" };
}

/** Starts serving `dir` on a free port of 127.0.0.1 and resolves with the port from the banner. */
export async function startServing(
  dir: string,
  extra: readonly string[] = [],
  options: RunOptions = {},
): Promise<{ running: Run; port: number }> {
  const running = run(["0", "--bind", "127.0.0.1", "--directory", dir, ...extra], options);
  const { port } = await banner(running);
  return { running, port };
}

/** SIGTERMs the CLI and waits (bounded) for its exit. */
export async function stop(running: Run): Promise<Exit> {
  running.child.kill("SIGTERM");
  return withTimeout(running.exited, 5000, "exit after SIGTERM");
}

/** A temporary folder with `files`, and its removal. */
export function tempSite(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "simplehttp-cli-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lines that are not empty, CR removed (a pseudo-terminal ends lines with CRLF). */
export function lines(text: string): string[] {
  return text
    .replace(/\r/g, "")
    .split("\n")
    .filter((line) => line !== "");
}

/**
 * Expects exit code 2 with exactly one line on stderr, `simplehttp: error: …` matching `says`, and
 * nothing on stdout.
 */
export async function expectUsageError(running: Run, says: RegExp): Promise<string> {
  expect(await withTimeout(running.exited, 15_000, "exit")).toEqual({ code: 2, signal: null });
  const said = lines(running.stderr());
  expect(said).toHaveLength(1);
  expect(said[0]).toMatch(/^simplehttp: error: \S/);
  expect(said[0]).toMatch(says);
  expect(running.stdout()).toBe("");
  return said[0] ?? "";
}

/** Checks `ready` every 50 ms until it holds; rejects after `ms`. For what no output announces. */
export async function pollUntil(ready: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
