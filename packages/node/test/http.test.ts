import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet } from "../../../test/support/raw-http.ts";
import { type RunningServer, serve } from "../src/index.js";

// Larger than a stream chunk (64 KiB) and than the 256 KiB buffered-read threshold, so ranges
// cross chunk boundaries on the streaming path.
const BIG = randomBytes(3 * 1024 * 1024 + 17);
const TEXT = "simplehttp ".repeat(500);
let root: string;
let server: RunningServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "simplehttp-http-"));
  writeFileSync(join(root, "big.bin"), BIG);
  writeFileSync(join(root, "page.txt"), TEXT);
  writeFileSync(join(root, "page.txt.gz"), gzipSync(TEXT));
  server = await serve({
    root,
    port: 0,
    hostname: "127.0.0.1",
    precompressed: true,
    cors: true,
    cacheControl: { maxAge: 60 },
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const url = (path: string) => new URL(path, server.url);

describe("byte ranges over real sockets (RFC 9110 §14)", () => {
  it.each([
    ["bytes=0-99", 0, 99],
    ["bytes=65530-65545", 65530, 65545],
    ["bytes=100000-2000000", 100000, 2000000],
    ["bytes=3000000-", 3000000, BIG.length - 1],
    [`bytes=-${300 * 1024}`, BIG.length - 300 * 1024, BIG.length - 1],
  ])("serves %s byte-exact", async (range, start, end) => {
    const response = await fetch(url("/big.bin"), { headers: { range } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${BIG.length}`);
    expect(Number(response.headers.get("content-length"))).toBe(end - start + 1);
    expect(Buffer.from(await response.arrayBuffer()).equals(BIG.subarray(start, end + 1))).toBe(true);
  });

  it("serves a multipart/byteranges body with parts larger than a chunk, byte-exact", async () => {
    const response = await rawGet(server.port, "/big.bin", { Range: "bytes=10-300000,2000000-2400000" });
    expect(response.status).toBe(206);
    const boundary = /boundary=(\S+)/.exec(response.headers["content-type"] ?? "")?.[1] ?? "";
    expect(Number(response.headers["content-length"])).toBe(response.body.length);
    const expected = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
          `Content-Range: bytes 10-300000/${BIG.length}\r\n\r\n`,
      ),
      BIG.subarray(10, 300001),
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
          `Content-Range: bytes 2000000-2400000/${BIG.length}\r\n\r\n`,
      ),
      BIG.subarray(2000000, 2400001),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(response.body.equals(expected)).toBe(true);
  });

  it("answers an unsatisfiable range with 416 and the size", async () => {
    const response = await rawGet(server.port, "/big.bin", { Range: `bytes=${BIG.length}-` });
    expect(response.status).toBe(416);
    expect(response.headers["content-range"]).toBe(`bytes */${BIG.length}`);
  });

  it("resumes with If-Range and the ETag, and restarts with a stale one", async () => {
    const etag = (await fetch(url("/big.bin"), { method: "HEAD" })).headers.get("etag") ?? "";
    const resumed = await rawGet(server.port, "/big.bin", { Range: "bytes=1000-1999", "If-Range": etag });
    expect(resumed.status).toBe(206);
    expect(resumed.body.equals(BIG.subarray(1000, 2000))).toBe(true);
    const restarted = await rawGet(
      server.port,
      "/big.bin",
      { Range: "bytes=1000-1999", "If-Range": '"stale"' },
      { timeoutMs: 10_000 },
    );
    expect(restarted.status).toBe(200);
    expect(restarted.body.equals(BIG)).toBe(true);
  });
});

describe("validators, negotiation and options over real sockets", () => {
  it("answers If-None-Match with 304 carrying the validators and Cache-Control", async () => {
    const first = await fetch(url("/big.bin"), { method: "HEAD" });
    const response = await rawGet(server.port, "/big.bin", { "If-None-Match": first.headers.get("etag") ?? "" });
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
    expect(response.headers.etag).toBe(first.headers.get("etag"));
    expect(response.headers["cache-control"]).toBe("public, max-age=60");
  });

  it("serves the precompressed sibling with Content-Encoding and Vary", async () => {
    const response = await rawGet(server.port, "/page.txt", { "Accept-Encoding": "gzip" });
    expect(response.headers["content-encoding"]).toBe("gzip");
    expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(response.headers.vary).toBe("Accept-Encoding");
    expect(gunzipSync(response.body).toString()).toBe(TEXT);
  });

  it("sends CORS headers", async () => {
    const response = await fetch(url("/page.txt"));
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toContain("Content-Range");
  });
});
