/**
 * Folders as archives from serve() over a real disk: what Python's
 * zipfile and tarfile unpack, ZIP64 past 4 GiB (a sparse file, no disk used), and the files a
 * client leaves behind mid-archive (counted in /proc/self/fd: the server runs in this process).
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSkip } from "../../../test/setup/skip-reporter.ts";
import { settle, stalledDownload } from "../../../test/support/proc.ts";
import { type RunningServer, serve } from "../src/index.js";

const PYTHON = "/usr/bin/python3"; // the system's, never one found on the PATH
const BIG = randomBytes(3 * 1024 * 1024 + 17); // past the 256 KiB read at once: streamed
const HUGE = 4 * 1024 ** 3 + 1024 ** 2 + 7; // past ZIP64's 4 GiB
const STALL = 64 * 1024 * 1024; // far more than socket buffers hold: a stalled download keeps its file open
const UNLIMITED = { maxEntries: Infinity, maxBytes: Infinity };

let parent: string;
let outside: string;
let server: RunningServer;
let port: number;

/** Serves `parent` with serve() and archives on, uncapped: `GET /dir/?download=zip|tar` is the archive of `dir`. */
async function startServer(): Promise<void> {
  server = await serve({ root: parent, port: 0, hostname: "127.0.0.1", archive: UNLIMITED });
  port = server.port;
}

function python(script: string, args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      ["-c", script, ...args],
      { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

const UNPACK = `
import hashlib, json, sys, tarfile, zipfile
path, entries = sys.argv[1], []
if path.endswith(".zip"):
    with zipfile.ZipFile(path) as z:
        for i in z.infolist():
            name = i.filename.encode("utf-8" if i.flag_bits & 0x800 else "cp437")
            entries.append([name.hex(), None if i.is_dir() else hashlib.sha256(z.read(i)).hexdigest(),
                list(i.date_time)])
else:
    with tarfile.open(path) as t:
        for m in t.getmembers():
            name = (m.name + ("/" if m.isdir() else "")).encode("utf-8", "surrogateescape")
            entries.append([name.hex(), hashlib.sha256(t.extractfile(m).read()).hexdigest() if m.isfile() else None,
                m.mtime])
print(json.dumps(entries))
`;

beforeAll(async () => {
  parent = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-node-archive-"))); // as /proc names it
  const tree = join(parent, "tree");
  for (const dir of ["empty dir", "nested/deeper", "nested/.git"]) mkdirSync(join(tree, dir), { recursive: true });
  writeFileSync(join(tree, "readme.txt"), "hello\n");
  writeFileSync(join(tree, "empty.txt"), "");
  writeFileSync(join(tree, "nested/deeper/big.bin"), BIG);
  writeFileSync(join(tree, "nested/ünïcødé ✓.txt"), "unicode\n");
  writeFileSync(join(tree, "nested/with space.txt"), "space\n");
  writeFileSync(join(tree, "nested/.git/config"), "hidden");
  writeFileSync(join(tree, ".env"), "SECRET=1");
  writeFileSync(
    Buffer.concat([Buffer.from(join(tree, "inv")), Buffer.of(0xff), Buffer.from("alid.txt")]),
    "not UTF-8\n",
  );
  outside = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-node-outside-")));
  writeFileSync(join(outside, "secret.txt"), "outside the served root");
  mkdirSync(join(outside, "dir"));
  writeFileSync(join(outside, "dir/secret.txt"), "outside the served root");
  symlinkSync(join(tree, "readme.txt"), join(tree, "link to readme.txt")); // inside the root: followed
  symlinkSync(join(outside, "secret.txt"), join(tree, "escape.txt")); // out of the root: left out
  symlinkSync(join(outside, "dir"), join(tree, "escape dir"));
  symlinkSync(join(tree, "gone.txt"), join(tree, "dangling.txt"));
  await startServer();
});

afterAll(async () => {
  await server?.close();
  if (parent) rmSync(parent, { recursive: true, force: true });
  if (outside) rmSync(outside, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const hex = (name: string) => Buffer.from(name).toString("hex");

describe.each(["zip", "tar"] as const)("the %s of a folder on disk", (format) => {
  it("unpacks with Python to its visible files and folders, byte for byte", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/tree/?download=${format}`, {
      signal: AbortSignal.timeout(10_000),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="tree.${format}"`);
    expect(Number(response.headers.get("content-length"))).toBe(bytes.byteLength);
    const path = join(parent, `unpack.${format}`);
    writeFileSync(path, bytes);
    const unpacked = JSON.parse(await python(UNPACK, [path])) as [string, string | null, number[] | number][];
    rmSync(path);

    const rawName = Buffer.concat([Buffer.from("inv"), Buffer.of(0xff), Buffer.from("alid.txt")]).toString("hex");
    // Dotfiles, symlinks out of the root and dangling ones are left out; the link inside is followed.
    expect(unpacked.map(([name, data]) => [name, data])).toEqual([
      [hex("empty dir/"), null],
      [hex("empty.txt"), sha256("")],
      [rawName, sha256("not UTF-8\n")],
      [hex("link to readme.txt"), sha256("hello\n")],
      [hex("nested/"), null],
      [hex("nested/deeper/"), null],
      [hex("nested/deeper/big.bin"), sha256(BIG)],
      [hex("nested/with space.txt"), sha256("space\n")],
      [hex("nested/ünïcødé ✓.txt"), sha256("unicode\n")],
      [hex("readme.txt"), sha256("hello\n")],
    ]);
    const mtime = statSync(join(parent, "tree/nested/deeper/big.bin")).mtimeMs;
    const time = unpacked.find(([name]) => name === hex("nested/deeper/big.bin"))?.[2];
    const local = new Date(mtime);
    const dos = [
      local.getFullYear(),
      local.getMonth() + 1,
      local.getDate(),
      local.getHours(),
      local.getMinutes(),
      local.getSeconds() & ~1,
    ];
    expect(time).toEqual(format === "zip" ? dos : Math.floor(mtime / 1000));
  });
});

// A whole 4 GiB zip through HTTP: client-zip's CRC (~400 MB/s) sets the pace. Measured on a 2-core
// VM: about 35 s, 15 of them the download itself.
describe("a zip past 4 GiB", () => {
  // Downloads into a sparse file (zeros become a hole), then checks with zipfile's reading of the
  // central directory, and reads the member's bytes in place (zipfile's own reader runs at a
  // third of the speed, and would double the test's time).
  const DOWNLOAD_AND_CHECK = `
import json, struct, sys, urllib.request, zipfile, zlib
url, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
received = 0
with urllib.request.urlopen(url) as response, open(path, "wb") as out:
    length = int(response.headers["Content-Length"])
    while chunk := response.read(1 << 20):
        received += len(chunk)
        if chunk.count(0) == len(chunk): out.seek(len(chunk), 1)
        else: out.write(chunk)
    out.truncate()
zeros, zeros_crc, left = memoryview(bytes(1 << 22)), 0, size
while left:
    n = min(left, len(zeros)); zeros_crc = zlib.crc32(zeros[:n], zeros_crc); left -= n
with zipfile.ZipFile(path) as z:
    huge, after = z.getinfo("huge.bin"), z.getinfo("z.txt")
    after_text = z.read(after).decode()
with open(path, "rb") as f:
    f.seek(huge.header_offset + 26); name_length, extra_length = struct.unpack("<HH", f.read(4))
    f.seek(huge.header_offset + 30 + name_length + extra_length)
    buffer, left, nonzero = bytearray(1 << 22), size, 0
    while left:
        n = f.readinto(memoryview(buffer)[:min(left, len(buffer))])
        if n == 0: break
        nonzero += n - (buffer.count(0) if n == len(buffer) else bytes(buffer[:n]).count(0)); left -= n
    f.seek(-98, 2); tail = f.read()
print(json.dumps({"length": length, "received": received, "size": huge.file_size, "crc": huge.CRC,
    "zerosCrc": zeros_crc, "unread": left, "nonzero": nonzero, "afterOffset": after.header_offset, "after": after_text,
    "zip64End": tail[:4] == b"PK\\x06\\x06", "zip64Locator": tail[56:60] == b"PK\\x06\\x07"}))
`;

  it("comes out whole: ZIP64 sizes, offsets and end record, and the CRC of its zeros", async () => {
    const dir = join(parent, "huge");
    mkdirSync(dir);
    const fd = openSync(join(dir, "huge.bin"), "w");
    ftruncateSync(fd, HUGE); // sparse: costs no disk
    closeSync(fd);
    writeFileSync(join(dir, "z.txt"), "after the huge one\n");
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    const started = Date.now();
    try {
      const result = JSON.parse(
        await python(
          DOWNLOAD_AND_CHECK,
          [`http://127.0.0.1:${port}/huge/?download=zip`, join(parent, "huge.zip"), String(HUGE)],
          110_000,
        ),
      ) as Record<string, unknown>;
      const { received, zerosCrc, afterOffset, ...checks } = result;
      expect([typeof received, typeof zerosCrc]).toEqual(["number", "number"]);
      expect(checks).toEqual({
        length: received,
        size: HUGE,
        crc: zerosCrc,
        unread: 0,
        nonzero: 0,
        after: "after the huge one\n",
        zip64End: true,
        zip64Locator: true,
      });
      expect(afterOffset).toBeGreaterThan(2 ** 32); // an offset only ZIP64 can say
    } finally {
      clearInterval(sampler);
      rmSync(join(parent, "huge.zip"), { force: true });
    }
    console.log(
      `4 GiB zip: ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
        `server RSS +${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MiB`,
    );
    // Memory does not grow with the archive: 4 GiB went through.
    expect(rssPeak - rssBefore).toBeLessThan(128 * 2 ** 20);
  }, 120_000);
});

/** Descriptors of this process open on a file under `dir`. */
function openUnder(dir: string): number {
  let count = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${dir}/`)) count++;
    } catch {
      // closed while we looked
    }
  }
  return count;
}

const startDownload = (path: string): Promise<Socket> =>
  stalledDownload(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);

describe("a client that leaves mid-archive", () => {
  it("leaves no file open on the server, for zip and tar alike", async (ctx) => {
    ctx.skip(!existsSync("/proc/self/fd"), platformSkip("no /proc: descriptors are counted in /proc/self/fd (Linux)"));
    const dir = join(parent, "stall");
    mkdirSync(dir);
    for (const name of ["a.bin", "b.bin", "c.bin"]) {
      const fd = openSync(join(dir, name), "w");
      ftruncateSync(fd, STALL);
      closeSync(fd);
    }
    expect(openUnder(dir)).toBe(0);
    for (let round = 0; round < 5; round++) {
      const sockets = await Promise.all(
        ["zip", "tar", "zip", "tar"].map((format) => startDownload(`/stall/?download=${format}`)),
      );
      // Every stalled download holds its file open: the count below is not vacuous.
      await settle(() => openUnder(dir) === sockets.length);
      for (const socket of sockets) socket.destroy();
      await settle(() => openUnder(dir) === 0);
    }
  });
});
