/**
 * @simplehttp/deno over real sockets: Deno runs fixture-server.ts (the adapter's TS source, then
 * the built dist), and this file, under Node, talks to it with raw HTTP/1.1 and reads its /proc.
 */
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSkip } from "../../../test/setup/skip-reporter.ts";
import { listedLinks } from "../../../test/support/listing.ts";
import { descriptors, occupyPort } from "../../../test/support/proc.ts";
import { type RawResponse, rawGet, rawRequest } from "../../../test/support/raw-http.ts";
import {
  type Fixture,
  killLeftovers,
  type LaunchOptions,
  launch,
  launchOrThrow,
  startDownload,
  stop,
  waitFor,
} from "./launch.ts";

const BIG_SIZE = 3 * 1024 * 1024;
// More than loopback socket buffers hold (autotuned up to tens of MiB), so a stalled download
// keeps its file open; sparse, so it costs no disk.
const HUGE_SIZE = 256 * 1024 * 1024;
const HAS_PROC = existsSync("/proc/self/fd");

let parent: string;
let root: string;
let big: Buffer;
let bigText: Buffer;

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), "simplehttp-deno-"));
  root = join(realpathSync(parent), "root"); // as /proc/<pid>/fd names it
  mkdirSync(root);
  big = randomBytes(BIG_SIZE);
  bigText = Buffer.from("lorem ipsum dolor sit amet\n".repeat(20_000)); // 540 KB, compressible
  writeFileSync(join(root, "a.txt"), "hello\n");
  writeFileSync(join(root, "big.bin"), big);
  writeFileSync(join(root, "big.txt"), bigText);
  writeFileSync(join(root, "huge.bin"), "");
  truncateSync(join(root, "huge.bin"), HUGE_SIZE);
  writeFileSync(join(root, "empty.txt"), "");
  writeFileSync(join(root, "denied.txt"), "denied by --deny-read\n");
  mkdirSync(join(root, "sub"));
  writeFileSync(join(root, "sub", "x.txt"), "x\n");
  symlinkSync(join(root, "sub"), join(root, "link-dir"));
  symlinkSync(join(root, "nothing-here"), join(root, "dangling"));
});

afterAll(() => {
  killLeftovers(); // only ones a test failed to stop
  if (parent) rmSync(parent, { recursive: true, force: true });
});

const head = (port: number, target: string): Promise<RawResponse> =>
  rawRequest(port, `HEAD ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
const bodyAfterHead = (response: RawResponse): Buffer => response.raw.subarray(response.raw.indexOf("\r\n\r\n") + 4);
const labels = (html: string): string[] => listedLinks(html).map((link) => link.label);

/** The parts of a multipart/byteranges body: each one's Content-Range and bytes. */
function multipartParts(contentType: string, body: Buffer): { range: string; data: Buffer }[] {
  const boundary = /^multipart\/byteranges; boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const parts: { range: string; data: Buffer }[] = [];
  let at = body.indexOf(`--${boundary}`);
  while (at >= 0 && body.subarray(at + boundary.length + 2, at + boundary.length + 4).toString() !== "--") {
    const headEnd = body.indexOf("\r\n\r\n", at);
    const next = body.indexOf(`\r\n--${boundary}`, headEnd);
    const range = /content-range: *(.*)/i.exec(body.subarray(at, headEnd).toString("latin1"))?.[1] ?? "";
    parts.push({ range: range.trim(), data: body.subarray(headEnd + 4, next) });
    at = next + 2;
  }
  return parts;
}

/** The fixture's options: `root`, with Deno's own permission refusal on denied.txt (NotCapable). */
const options = (module: string): LaunchOptions => ({ root, module, denyRead: [join(root, "denied.txt")] });

describe.each([
  ["TS source", "../src/index.ts"],
  ["built dist", "../dist/index.js"],
])("@simplehttp/deno (%s) under Deno", (_label, module) => {
  let fixture: Fixture;
  let port: number;

  beforeAll(async () => {
    if (module.includes("dist") && !existsSync(fileURLToPath(new URL(module, import.meta.url)))) {
      throw new Error("packages/deno/dist is missing: build with `npx tsc -b` first");
    }
    fixture = await launchOrThrow(options(module));
    port = fixture.port;
  });

  afterAll(async () => {
    if (fixture) await stop(fixture);
  });

  it("reports the bound address, port and URL", () => {
    expect(fixture.hostname).toBe("127.0.0.1");
    expect(port).toBeGreaterThan(0);
    expect(fixture.url).toBe(`http://127.0.0.1:${port}/`);
  });

  it("serves a small file byte-exact, with its type and length", async () => {
    const response = await rawGet(port, "/a.txt");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(response.headers["content-length"]).toBe("6");
    expect(response.body.toString()).toBe("hello\n");
  });

  it("serves an empty file as 200 with Content-Length 0", async () => {
    const response = await rawGet(port, "/empty.txt");
    expect(response.status).toBe(200);
    expect(response.headers["content-length"]).toBe("0");
    expect(bodyAfterHead(response).length).toBe(0);
  });

  it("serves a 3 MiB file byte-exact with Content-Length, not chunked", async () => {
    const response = await rawGet(port, "/big.bin");
    expect(response.status).toBe(200);
    expect(response.headers["content-length"]).toBe(String(BIG_SIZE));
    expect(response.headers["transfer-encoding"]).toBeUndefined();
    expect(bodyAfterHead(response).equals(big)).toBe(true);
  });

  it("Deno neither compresses nor alters the ETag, whatever Accept-Encoding says", async () => {
    for (const target of ["/big.txt", "/a.txt", "/big.bin"]) {
      const plain = await rawGet(port, target);
      const offered = await rawGet(port, target, { "Accept-Encoding": "gzip, deflate, br, zstd" });
      expect(offered.headers["content-encoding"], target).toBeUndefined();
      expect(offered.headers["transfer-encoding"], target).toBeUndefined();
      expect(offered.headers.etag, target).toMatch(/^"[^"]+"$/); // strong, as the core made it
      expect(offered.headers.etag, target).toBe(plain.headers.etag);
      expect(offered.headers["content-length"], target).toBe(plain.headers["content-length"]);
      expect(bodyAfterHead(offered).equals(bodyAfterHead(plain)), target).toBe(true);
    }
    expect((await rawGet(port, "/big.txt")).body.equals(bigText)).toBe(true);
  });

  it.each([
    ["a range over 256 KiB (streamed)", "bytes=1000-600999", 1000, 600_999],
    ["a suffix range to the end of the file (streamed)", "bytes=-300000", BIG_SIZE - 300_000, BIG_SIZE - 1],
    ["a small range (one buffer)", "bytes=10-109", 10, 109],
  ])("answers %s with a byte-exact 206", async (_name, range, start, end) => {
    const response = await rawGet(port, "/big.bin", { Range: range });
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe(`bytes ${start}-${end}/${BIG_SIZE}`);
    expect(response.headers["content-length"]).toBe(String(end - start + 1));
    expect(response.headers["transfer-encoding"]).toBeUndefined();
    expect(bodyAfterHead(response).equals(big.subarray(start, end + 1))).toBe(true);
  });

  it("answers several ranges with a byte-exact multipart/byteranges 206 of exact length", async () => {
    const response = await rawGet(port, "/big.bin", { Range: "bytes=0-99,1000000-1399999" });
    expect(response.status).toBe(206);
    expect(response.headers["transfer-encoding"]).toBeUndefined();
    const body = bodyAfterHead(response);
    expect(response.headers["content-length"]).toBe(String(body.length));
    const parts = multipartParts(response.headers["content-type"] ?? "", body);
    expect(parts.map((part) => part.range)).toEqual([`bytes 0-99/${BIG_SIZE}`, `bytes 1000000-1399999/${BIG_SIZE}`]);
    expect(parts[0]?.data.equals(big.subarray(0, 100))).toBe(true);
    expect(parts[1]?.data.equals(big.subarray(1_000_000, 1_400_000))).toBe(true);
  });

  it("404 for a missing file, a path through a file and a dangling symlink", async () => {
    for (const target of ["/missing.txt", "/a.txt/x", "/dangling"])
      expect((await rawGet(port, target)).status, target).toBe(404);
  });

  it("403 for a file Deno's permissions refuse (NotCapable mapped to EACCES)", async () => {
    const response = await rawGet(port, "/denied.txt");
    expect(response.status).toBe(403);
    expect(response.raw.includes("denied by")).toBe(false);
  });

  it("answers If-None-Match with the ETag as 304, without a body", async () => {
    for (const target of ["/a.txt", "/big.bin"]) {
      const { headers } = await rawGet(port, target);
      const notModified = await rawGet(port, target, { "If-None-Match": headers.etag ?? "" });
      expect(notModified.status, target).toBe(304);
      expect(notModified.headers.etag, target).toBe(headers.etag);
      expect(bodyAfterHead(notModified).length, target).toBe(0);
      expect((await rawGet(port, target, { "If-None-Match": '"other"' })).status, target).toBe(200);
    }
  });

  it("HEAD sends GET's headers, Content-Length included, and no body", async () => {
    for (const target of ["/a.txt", "/big.bin", "/sub/"]) {
      const get = await rawGet(port, target);
      const answer = await head(port, target);
      expect(answer.status, target).toBe(200);
      for (const name of ["content-type", "content-length", "etag", "last-modified", "accept-ranges", "server"]) {
        expect(answer.headers[name], `${target} ${name}`).toBe(get.headers[name]);
      }
      expect(answer.headers["transfer-encoding"], target).toBeUndefined();
      expect(bodyAfterHead(answer).length, target).toBe(0);
    }
  });

  it("lists a directory: symlinked directories as directories; no dangling link, no entry Deno refuses", async () => {
    const response = await rawGet(port, "/");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(labels(response.body.toString())).toEqual([
      "link-dir/",
      "sub/",
      "a.txt",
      "big.bin",
      "big.txt",
      "empty.txt",
      "huge.bin",
    ]);
    expect(labels((await rawGet(port, "/link-dir/")).body.toString())).toEqual(["../", "x.txt"]);
    const redirect = await rawGet(port, "/sub?x=1");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe("/sub/?x=1");
  });

  it("calls onRequest once per answered request, with the target as sent", async () => {
    const sent = performance.now();
    await rawGet(port, "/a.txt?log=1", { "User-Agent": "probe/1", Referer: "http://example.test/" });
    await head(port, "/missing?log=2");
    const get = await waitFor(() => fixture.logs.find((entry) => entry.target === "/a.txt?log=1"));
    expect(get).toMatchObject({
      method: "GET",
      status: 200,
      httpVersion: "1.1",
      remoteAddress: "127.0.0.1",
      bytes: 6,
      userAgent: "probe/1",
      referer: "http://example.test/",
    });
    // The server times the request within the span from sending it to reading its log entry.
    expect(get.durationMs).toBeGreaterThan(0);
    expect(get.durationMs).toBeLessThan(performance.now() - sent);
    expect(Number.isNaN(Date.parse(get.time))).toBe(false);
    const missing = await waitFor(() => fixture.logs.find((entry) => entry.target === "/missing?log=2"));
    expect(missing).toMatchObject({ method: "HEAD", status: 404 });
    expect(fixture.logs.filter((entry) => entry.target === "/a.txt?log=1")).toHaveLength(1);
  });

  it("closes the file of every aborted download: 100 aborts leave no descriptor behind", async (ctx) => {
    ctx.skip(!HAS_PROC, platformSkip("no /proc: the server's descriptors are counted in /proc/PID/fd (Linux)"));
    const pid = fixture.child.pid ?? 0;
    const hugePath = join(root, "huge.bin");
    await rawGet(port, "/big.bin"); // warm up whatever Deno allocates lazily
    const baseline = await waitFor(() => {
      const now = descriptors(pid, hugePath);
      return now.onPath === 0 && now;
    });
    // The probe sees a download's descriptor while the client stalls, so a leak could not hide.
    const stalled = await startDownload(port, "/huge.bin?stalled");
    await waitFor(() => descriptors(pid, hugePath).onPath === 1);
    stalled.destroy();
    for (let batch = 0; batch < 10; batch++) {
      const sockets = await Promise.all(
        Array.from({ length: 10 }, (_, i) => startDownload(port, `/huge.bin?abort=${batch * 10 + i}`)),
      );
      for (const socket of sockets) socket.destroy();
    }
    const settled = await waitFor(() => {
      const now = descriptors(pid, hugePath);
      return now.onPath === 0 && now.total <= baseline.total + 2 && now;
    });
    expect(settled.onPath).toBe(0);
    expect(settled.total).toBeLessThanOrEqual(baseline.total + 2);
    // Aborted responses are logged too, once each, and the server still serves whole files.
    await waitFor(() => fixture.logs.filter((entry) => entry.target.startsWith("/huge.bin?abort=")).length === 100);
    expect(bodyAfterHead(await rawGet(port, "/big.bin")).equals(big)).toBe(true);
  });

  it("a busy port rejects with code EADDRINUSE", async () => {
    const busy = await occupyPort();
    try {
      const result = await launch({ ...options(module), port: busy.port });
      if (!("error" in result)) {
        await stop(result);
        throw new Error("serve() listened on a busy port");
      }
      expect(result.error).toMatchObject({ name: "AddrInUse", code: "EADDRINUSE" });
      expect(await result.exited).toBe(1);
    } finally {
      await busy.release();
    }
  });

  it("close() (on SIGTERM) is prompt with an idle keep-alive client and a stalled download", async () => {
    const idle = connect({ host: "127.0.0.1", port });
    const idleEnded = new Promise<void>((resolve) => idle.on("close", () => resolve()));
    idle.on("error", () => {});
    await new Promise<void>((resolve) => {
      idle.on("connect", () => idle.write("GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
      idle.once("data", () => resolve());
    });
    const stalled = await startDownload(port, "/huge.bin?during-close");
    stalled.on("error", () => {});
    const started = Date.now();
    expect(await stop(fixture, 3000)).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    await idleEnded;
    stalled.destroy();
  });
});
