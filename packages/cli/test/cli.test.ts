import { accessSync, constants, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { occupyPort } from "../../../test/support/proc.ts";
import {
  expectUsageError,
  get,
  killAll,
  REPO_ROOT,
  run,
  startServing as startIn,
  tempSite,
  waitUntil,
  withTimeout,
} from "./run.ts";

const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
const LOG_LINE = /^127\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] "GET \/a\.txt HTTP\/1\.1" 200 -$/m;

let site: ReturnType<typeof tempSite>;
let dir: string;
const releases: (() => Promise<void>)[] = [];

beforeAll(() => {
  site = tempSite({ "a.txt": "hello from the cli\n" });
  dir = site.dir;
});

afterEach(async () => {
  killAll();
  await Promise.all(releases.splice(0).map((release) => release()));
});

afterAll(() => site?.remove());

const startServing = (extra: string[] = []) => startIn(dir, extra);

async function occupiedPort(): Promise<number> {
  const { port, release } = await occupyPort();
  releases.push(release);
  return port;
}

async function fetchFile(port: number): Promise<void> {
  const response = await get(`http://127.0.0.1:${port}/a.txt`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe("hello from the cli\n");
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
    const { running, port } = await startServing([
      "-q",
      "--cors",
      "--cache",
      "max-age=60, immutable",
      "-H",
      "X-One: 1",
      "--header",
      "X-Two: two",
      "--dotfiles",
      "deny",
    ]);
    expect((await get(`http://127.0.0.1:${port}/.secret`)).status).toBe(403);
    const plain = await get(`http://127.0.0.1:${port}/a.txt`);
    expect(plain.headers.get("access-control-allow-origin")).toBe("*");
    expect(plain.headers.get("cache-control")).toBe("max-age=60, immutable");
    expect(plain.headers.get("x-one")).toBe("1");
    expect(plain.headers.get("x-two")).toBe("two");
    expect(plain.headers.get("content-encoding")).toBeNull();
    running.child.kill("SIGTERM");
    await withTimeout(running.exited, 5000, "exit after SIGTERM");

    const gzipped = await startServing(["-q", "--gzip", "--precompressed"]);
    const response = await get(`http://127.0.0.1:${gzipped.port}/long.txt`, { headers: { "accept-encoding": "gzip" } });
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
        expect(await withTimeout(running.exited, 5000, `exit after ${signal}`), signal).toEqual({
          code: 0,
          signal: null,
        });
      }
    }
  });
});

describe("usage errors: exit code 2 and one line on stderr", () => {
  const cases: [name: string, args: () => Promise<string[]> | string[], says: RegExp][] = [
    [
      "a port in use",
      async () => [String(await occupiedPort()), "--bind", "127.0.0.1", "--directory", dir],
      /port \d+ is already in use \(simplehttp 0 picks a free port\)$/,
    ],
    [
      "a directory that does not exist",
      () => ["0", "--bind", "127.0.0.1", "--directory", join(dir, "no-such-dir")],
      /directory not found/,
    ],
    [
      "a directory that is a file",
      () => ["0", "--bind", "127.0.0.1", "--directory", join(dir, "a.txt")],
      /not a directory/,
    ],
    ["port 70000", () => ["70000", "--bind", "127.0.0.1", "--directory", dir], /invalid port '70000'/],
    ["port abc", () => ["abc", "--bind", "127.0.0.1", "--directory", dir], /invalid port 'abc'/],
    ["an unknown option", () => ["--nope"], /--nope/],
    ["a header without a colon", () => ["-H", "X-Broken"], /invalid --header 'X-Broken'/],
    ["a bare number as --cache", () => ["--cache", "3600"], /invalid --cache '3600'/],
    ["an unknown --dotfiles policy", () => ["--dotfiles", "maybe"], /invalid --dotfiles 'maybe'/],
  ];

  it.each(cases)("for %s", async (_name, makeArgs, says) => {
    const running = run(await makeArgs());
    await expectUsageError(running, says);
    expect(running.stderr()).not.toContain("    at ");
  });
});

describe("help and version", () => {
  it("-h prints the usage and exits 0", async () => {
    const running = run(["-h"]);
    expect(await withTimeout(running.exited, 10_000, "exit")).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toMatch(/^Usage: simplehttp \[s3:\/\/BUCKET\[\/PREFIX\]\] \[port\]/);
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
    const running = run([], { raw: { command: binLink, args: ["-V"] } });
    expect(await withTimeout(running.exited, 10_000, "exit")).toEqual({ code: 0, signal: null });
    expect(running.stdout()).toBe(`simplehttp ${VERSION}\n`);
  });
});
