/**
 * @simplehttp/bun and file names that are not UTF-8 (Linux names are bytes; core's names.ts
 * carries such a byte as U+DC80–U+DCFF). Bun's node:fs takes Buffer paths and `Bun.file()` a byte
 * path, so such names are listed and served, and containment compares bytes wherever U+FFFD shows.
 * Bun itself would turn a lone surrogate in a string path into U+FFFD, so these tests also keep a
 * file literally named with U+FFFD beside each raw-byte name: neither may be served for the other.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolPath } from "../../../test/setup/system-packages.ts";
import { bytes, expectTwinRefused, writeTwinTree } from "../../../test/support/byte-names.ts";
import { spawnUntilLine, stopGroup } from "../../../test/support/processes.ts";
import { rawGet } from "../../../test/support/raw-http.ts";
import { BUN, REPO_ROOT, type SpawnedServer, spawnServer } from "../../../test/support/spawn-server.ts";

const SERVER_SCRIPT = fileURLToPath(new URL("./fixture-server.ts", import.meta.url));
const LITERAL = "literally U+FFFD\n";
const WAIT_MS = 10_000;

let base: string;
let site: string;
let twinSecret: string;
let big: Buffer;
let contained: SpawnedServer;
let following: SpawnedServer;

beforeAll(async () => {
  // The root's name is valid UTF-8 ending in U+FFFD; its sibling `www\xff` reads the same once
  // decoded lossily, and must never pass for inside the root.
  ({ base, site, secret: twinSecret } = writeTwinTree("simplehttp-bun-bytes-"));
  // The name Bun would make of `inv\uDCFFalid.txt` given as a string: it must not answer for it.
  writeFileSync(join(site, "inv\uFFFDalid.txt"), LITERAL);
  symlinkSync(bytes("inv", 0xff, "alid.txt"), bytes(`${site}/link`, 0xfe, ".txt"));
  mkdirSync(bytes(`${site}/d`, 0xfe));
  writeFileSync(bytes(`${site}/d`, 0xfe, "/in", 0xfd, ".txt"), "inside a raw-byte directory\n");
  // Larger than the small-body threshold: Bun sends it from the file, by its byte path.
  big = randomBytes(3 * 1024 * 1024);
  writeFileSync(bytes(`${site}/d`, 0xfe, "/big", 0xfc, ".bin"), big);
  [contained, following] = await Promise.all([
    spawnServer(BUN, [SERVER_SCRIPT, site]),
    spawnServer(BUN, [SERVER_SCRIPT, site, "--follow-symlinks"]),
  ]);
});

afterAll(async () => {
  await Promise.all([contained?.stop(), following?.stop()]);
  if (base) rmSync(base, { recursive: true, force: true });
});

describe("names that are not UTF-8", () => {
  it("lists and serves inv\\xffalid.txt from /inv%FFalid.txt", async () => {
    const listing = await rawGet(contained.port, "/");
    expect(listing.body.toString()).toContain('<a href="inv%FFalid.txt">inv\uFFFDalid.txt</a>');
    const file = await rawGet(contained.port, "/inv%FFalid.txt");
    expect(file.status).toBe(200);
    expect(file.body.toString()).toBe("not UTF-8\n");
  });

  it("never takes a sibling whose name differs by bytes that are not UTF-8 for the root", async () => {
    await expectTwinRefused(contained.port, twinSecret);
  });

  it("serves a name literally holding U+FFFD at /%EF%BF%BD, and never one for the other", async () => {
    const literal = await rawGet(contained.port, "/inv%EF%BF%BDalid.txt");
    expect([literal.status, literal.body.toString()]).toEqual([200, LITERAL]);
    expect((await rawGet(contained.port, "/inv%FFalid.txt")).body.toString()).toBe("not UTF-8\n");
    // A byte that no file has, U+FFFD's twin or not: 404, not the literal file and not a 500.
    expect((await rawGet(contained.port, "/inv%FEalid.txt")).status).toBe(404);
    expect((await rawGet(contained.port, "/")).body.toString()).toContain(
      '<a href="inv%EF%BF%BDalid.txt">inv\uFFFDalid.txt</a>',
    );
  });

  it("lists and serves inside a directory whose name is not UTF-8, links included", async () => {
    const root = (await rawGet(contained.port, "/")).body.toString();
    expect(root).toContain('<a href="d%FE/">');
    expect(root).toContain('<a href="link%FE.txt">');
    expect((await rawGet(contained.port, "/link%FE.txt")).body.toString()).toBe("not UTF-8\n");
    const dir = await rawGet(contained.port, "/d%FE/");
    expect(dir.status).toBe(200);
    expect(dir.body.toString()).toContain('<a href="in%FD.txt">');
    expect(dir.body.toString()).toContain('<a href="big%FC.bin">');
    expect((await rawGet(contained.port, "/d%FE/in%FD.txt")).body.toString()).toBe("inside a raw-byte directory\n");
  });

  it("serves a large file with a raw-byte name byte-exact, whole and as a range", async () => {
    for (const server of [contained, following]) {
      const whole = await rawGet(server.port, "/d%FE/big%FC.bin", {}, { timeoutMs: WAIT_MS });
      expect(whole.status).toBe(200);
      expect(whole.body.equals(big)).toBe(true);
      const range = await rawGet(
        server.port,
        "/d%FE/big%FC.bin",
        { Range: "bytes=1000-1999999" },
        { timeoutMs: WAIT_MS },
      );
      expect(range.status).toBe(206);
      expect(range.body.equals(big.subarray(1000, 2_000_000))).toBe(true);
    }
  });

  it("with followSymlinks, serves and lists raw-byte names as well", async () => {
    expect((await rawGet(following.port, "/inv%FFalid.txt")).body.toString()).toBe("not UTF-8\n");
    expect((await rawGet(following.port, "/inv%EF%BF%BDalid.txt")).body.toString()).toBe(LITERAL);
    expect((await rawGet(following.port, "/d%FE/")).body.toString()).toContain('<a href="in%FD.txt">');
  });

  it("read() and readDir() on their own, without stat() first: bytes in, the lossy twin refused", async () => {
    // The FileSystem called directly under Bun: a large range is a Bun.file of the name the verified
    // open found, a small one is read from the checked descriptor; neither follows stat() here.
    const script = `
      const { bunFileSystem } = await import(${JSON.stringify(new URL("../src/index.ts", import.meta.url).href)});
      const fs = bunFileSystem(process.argv[1]);
      const outcome = (work) =>
        work.then(
          async (body) => new Bun.CryptoHasher("sha256").update(await new Response(body).arrayBuffer()).digest("hex"),
          (error) => error.code,
        );
      const [dFE, xFC, xFD, xFF] = [0xdcfe, 0xdcfc, 0xdcfd, 0xdcff].map((code) => String.fromCharCode(code));
      const result = {};
      for (const path of [
        "twin-link.txt",
        "twin-dir/secret.txt",
        "inv" + xFF + "alid.txt",
        "d" + dFE + "/big" + xFC + ".bin",
        "d" + dFE + "/in" + xFD + ".txt",
      ]) {
        result[path] = [
          await outcome(fs.read(path, { start: 0, end: 4 })),
          await outcome(fs.read(path, { start: 0, end: 99_999_999 })),
        ];
      }
      for (const path of ["twin-dir", "d" + dFE])
        result[path + "/"] = await fs.readDir(path).then((rows) => rows.map((row) => row.name), (error) => error.code);
      console.log(JSON.stringify(result));
    `;
    const child = spawn(BUN, ["-e", script, site], { stdio: ["ignore", "pipe", "pipe"] });
    let [stdout, stderr] = ["", ""];
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const code = await Promise.race([
      new Promise((resolve) => child.once("close", resolve)),
      new Promise((resolve) => setTimeout(() => resolve("timeout"), WAIT_MS).unref()),
    ]);
    if (code !== 0) child.kill("SIGKILL");
    expect(code, stderr).toBe(0);
    const hash = (body: Buffer): string => createHash("sha256").update(body).digest("hex");
    expect(JSON.parse(stdout)).toEqual({
      "twin-link.txt": ["ENOENT", "ENOENT"],
      "twin-dir/secret.txt": ["ENOENT", "ENOENT"],
      "inv\uDCFFalid.txt": [hash(Buffer.from("not U")), hash(Buffer.from("not UTF-8\n"))],
      "d\uDCFE/big\uDCFC.bin": [hash(big.subarray(0, 5)), hash(big)],
      "d\uDCFE/in\uDCFD.txt": [hash(Buffer.from("insid")), hash(Buffer.from("inside a raw-byte directory\n"))],
      "twin-dir/": "ENOENT",
      "d\uDCFE/": ["big\uDCFC.bin", "in\uDCFD.txt"],
    });
  });

  it("sends a large raw-byte name with sendfile, opened by its bytes (strace)", async () => {
    const trace = join(base, "names.trace");
    // Its own process group: should anything below fail, the group (strace and Bun) is killed,
    // since killing strace alone would only detach Bun and leave it listening.
    const traced = await spawnUntilLine(
      toolPath("strace"),
      ["-f", "-e", "trace=openat,sendfile", "-o", trace, BUN, SERVER_SCRIPT, site],
      { cwd: REPO_ROOT, pattern: /^\{.*\}$/, timeoutMs: WAIT_MS },
    );
    const timedOut = new Promise<string>((resolve) => setTimeout(() => resolve("timeout"), WAIT_MS).unref());
    try {
      const { port, pid } = JSON.parse(traced.match[0]) as { port: number; pid: number };
      try {
        expect((await rawGet(port, "/d%FE/big%FC.bin", {}, { timeoutMs: WAIT_MS })).body.equals(big)).toBe(true);
      } finally {
        process.kill(pid, "SIGTERM"); // Bun itself, which closes its server and exits: strace exits with it
      }
      expect(await Promise.race([traced.closed.then(({ code }) => code), timedOut])).toBe(0);
    } finally {
      // Only a failure above leaves the group (strace and Bun) running.
      if (traced.child.exitCode === null && traced.child.signalCode === null) await stopGroup(traced, 1000);
    }
    const calls = readFileSync(trace, "latin1");
    // strace writes the byte 0xFC as \374: Bun opened the very name, not a U+FFFD twin.
    expect(calls).toMatch(/openat\([^)]*d\\376\/big\\374\.bin"/);
    const sent = [...calls.matchAll(/sendfile\(\d+, \d+, \[\d+\] => \[\d+\], \d+\) = (\d+)/g)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(sent).toBe(big.length);
  });
});
