import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/simplehttp.js", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
const BANNER = /^Serving HTTP on 127\.0\.0\.1 port (\d+) \(http:\/\/127\.0\.0\.1:(\d+)\/\) on Node \d+\.\d+\.\d+ \.\.\.$/m;
const LOG_LINE = /^127\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] "GET \/a\.txt HTTP\/1\.1" 200 -$/m;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
}

const children: ChildProcess[] = [];
const blockers: Server[] = [];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "simplehttp-cli-"));
  writeFileSync(join(dir, "a.txt"), "hello from the cli\n");
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  await Promise.all(blockers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Spawns `command args` (the CLI under this Node by default), collecting its output. */
function run(args: string[], command: string = process.execPath, prefix: string[] = [BIN]): Run {
  const child = spawn(command, [...prefix, ...args], { stdio: ["ignore", "pipe", "pipe"] });
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

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
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
function waitUntil<T>(running: Run, find: () => T | undefined, ms: number, what: string): Promise<T> {
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
    const exited = (): void => finish(() => reject(new Error(`process exited while waiting for ${what}; stderr: ${running.stderr()}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; stdout: ${running.stdout()}`))), ms);
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.on("exit", exited);
    if (child.exitCode !== null || child.signalCode !== null) exited();
    else check();
  });
}

/** Starts serving `dir` on a free port and resolves with the port from the banner. */
async function startServing(extra: string[] = []): Promise<{ running: Run; port: number }> {
  const running = run(["0", "--bind", "127.0.0.1", "--directory", dir, ...extra]);
  const match = await waitUntil(running, () => BANNER.exec(running.stdout()) ?? undefined, 10_000, "the banner");
  expect(match[1]).toBe(match[2]);
  return { running, port: Number(match[1]) };
}

async function fetchFile(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/a.txt`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe("hello from the cli\n");
}

async function occupiedPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((resolve, reject) => {
    blocker.once("error", reject);
    blocker.listen(0, "127.0.0.1", resolve);
  });
  const address = blocker.address();
  if (address === null || typeof address === "string") throw new Error("the blocker has no port");
  return address.port;
}

describe("serving", () => {
  it("prints the banner, logs each request to stderr in Python's format, and exits 0 on SIGTERM", async () => {
    const { running, port } = await startServing();
    await fetchFile(port);
    await waitUntil(running, () => LOG_LINE.exec(running.stderr()) ?? undefined, 5000, "the access log line");
    running.child.kill("SIGTERM");
    expect(await withTimeout(running.exited, 5000, "exit after SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("passes the HTTP flags to the server: --cors, --cache, repeated -H, --dotfiles, --gzip", async () => {
    writeFileSync(join(dir, "long.txt"), "compress me ".repeat(200));
    writeFileSync(join(dir, ".secret"), "dot");
    const { running, port } = await startServing(["-q", "--cors", "--cache", "max-age=60, immutable", "-H", "X-One: 1", "--header", "X-Two: two", "--dotfiles", "deny"]);
    expect((await fetch(`http://127.0.0.1:${port}/.secret`)).status).toBe(403);
    const plain = await fetch(`http://127.0.0.1:${port}/a.txt`);
    expect(plain.headers.get("access-control-allow-origin")).toBe("*");
    expect(plain.headers.get("cache-control")).toBe("max-age=60, immutable");
    expect(plain.headers.get("x-one")).toBe("1");
    expect(plain.headers.get("x-two")).toBe("two");
    expect(plain.headers.get("content-encoding")).toBeNull();
    running.child.kill("SIGTERM");
    await withTimeout(running.exited, 5000, "exit after SIGTERM");

    const gzipped = await startServing(["-q", "--gzip", "--precompressed"]);
    const response = await fetch(`http://127.0.0.1:${gzipped.port}/long.txt`, { headers: { "accept-encoding": "gzip" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(await response.text()).toBe("compress me ".repeat(200)); // fetch decodes it
  });

  it("logs nothing with -q", async () => {
    const { running, port } = await startServing(["-q"]);
    await fetchFile(port);
    await new Promise((resolve) => setTimeout(resolve, 300)); // time enough for a log line to appear
    running.child.kill("SIGTERM");
    expect(await withTimeout(running.exited, 5000, "exit after SIGTERM")).toEqual({ code: 0, signal: null });
    expect(running.stderr()).toBe("");
  });

  it("exits 0 on SIGINT, saying 'Keyboard interrupt received, exiting.'", async () => {
    const { running, port } = await startServing();
    await fetchFile(port); // past start-up: the race right after the banner has a test of its own
    running.child.kill("SIGINT");
    expect(await withTimeout(running.exited, 5000, "exit after SIGINT")).toEqual({ code: 0, signal: null });
    expect(running.stderr()).toContain("Keyboard interrupt received, exiting.");
  });

  it("handles a SIGINT or SIGTERM sent the moment the banner appears (exit 0, not death by signal)", async () => {
    // The banner tells a supervisor the server is ready; a signal right after it must be handled.
    for (let i = 0; i < 5; i++) {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        const { running } = await startServing();
        running.child.kill(signal);
        expect(await withTimeout(running.exited, 5000, `exit after ${signal}`), signal).toEqual({ code: 0, signal: null });
      }
    }
  });
});

describe("usage errors: exit code 2 and one line on stderr", () => {
  const cases: [name: string, args: () => Promise<string[]> | string[], says: RegExp][] = [
    ["a port in use", async () => [String(await occupiedPort()), "--bind", "127.0.0.1", "--directory", dir], /port \d+ is already in use/],
    ["a directory that does not exist", () => ["0", "--bind", "127.0.0.1", "--directory", join(dir, "no-such-dir")], /directory not found/],
    ["a directory that is a file", () => ["0", "--bind", "127.0.0.1", "--directory", join(dir, "a.txt")], /not a directory/],
    ["port 70000", () => ["70000", "--bind", "127.0.0.1", "--directory", dir], /invalid port '70000'/],
    ["port abc", () => ["abc", "--bind", "127.0.0.1", "--directory", dir], /invalid port 'abc'/],
    ["an unknown option", () => ["--nope"], /--nope/],
    ["a header without a colon", () => ["-H", "X-Broken"], /invalid --header 'X-Broken'/],
    ["a bare number as --cache", () => ["--cache", "3600"], /invalid --cache '3600'/],
    ["an unknown --dotfiles policy", () => ["--dotfiles", "maybe"], /invalid --dotfiles 'maybe'/],
  ];

  it.each(cases)("for %s", async (_name, makeArgs, says) => {
    const running = run(await makeArgs());
    expect(await withTimeout(running.exited, 10_000, "exit")).toEqual({ code: 2, signal: null });
    const lines = running.stderr().split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^simplehttp: error: \S/);
    expect(lines[0]).toMatch(says);
    expect(running.stderr()).not.toContain("    at ");
    expect(running.stdout()).toBe("");
  });
});

describe("help and version", () => {
  it("-h prints the usage and exits 0", async () => {
    const running = run(["-h"]);
    expect(await withTimeout(running.exited, 10_000, "exit")).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toMatch(/^Usage: simplehttp \[port\]/);
    expect(running.stdout()).toContain("--directory");
    expect(running.stderr()).toBe("");
  });

  it("-V prints the package version and exits 0", async () => {
    const running = run(["-V"]);
    expect(await withTimeout(running.exited, 10_000, "exit")).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toBe(`simplehttp ${VERSION}\n`);
  });

  it("node_modules/.bin/simplehttp exists at the repo root, is executable, and runs the CLI", async () => {
    const binLink = join(REPO_ROOT, "node_modules", ".bin", "simplehttp");
    expect(statSync(binLink).mode & 0o111).not.toBe(0);
    expect(() => accessSync(binLink, constants.X_OK)).not.toThrow();
    const running = run(["-V"], binLink, []);
    expect(await withTimeout(running.exited, 10_000, "exit")).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toBe(`simplehttp ${VERSION}\n`);
  });
});
