/**
 * Listings compressed for a client that accepts gzip: the same page in fewer bytes, said by
 * Content-Encoding and Vary, compressed once per answer kept, streamed as it is made for a large
 * folder, and marked as encoded so that workerd does not compress it again.
 */
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createHandler, createResponder, memoryFileSystem, type Reply } from "../src/index.js";

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const fs = memoryFileSystem(
  {
    ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`docs/file-${i}.txt`, "x".repeat(i)])),
    ...Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`large/entry-${i}.txt`, "x"])),
    "tiny/a.txt": "a",
  },
  { mtime: T0 },
);
const handler = createHandler({ fs });
const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  handler(new Request(`http://localhost${path}`, { headers, method }));
const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

const RealCompressionStream = globalThis.CompressionStream;
afterEach(() => {
  globalThis.CompressionStream = RealCompressionStream;
});

/** Counts the compressions started from now on. */
function countCompressions(): () => number {
  let started = 0;
  globalThis.CompressionStream = class extends RealCompressionStream {
    constructor(format: CompressionFormat) {
      super(format);
      started++;
    }
  };
  return () => started;
}

describe("a listing for a client that accepts gzip", () => {
  it("is gzipped, with Content-Encoding, its own length and Vary; its bytes decode to the page", async () => {
    for (const query of ["", "?format=json", "?view=grid&sort=size"]) {
      const gzipped = await get(`/docs/${query}`, { "Accept-Encoding": "gzip, deflate, br" });
      const plain = await get(`/docs/${query}`);
      expect(gzipped.headers.get("content-encoding"), query).toBe("gzip");
      expect(gzipped.headers.get("vary"), query).toBe("Accept, Accept-Encoding");
      const body = await bytes(gzipped);
      expect(Number(gzipped.headers.get("content-length")), query).toBe(body.length);
      const page = await bytes(plain);
      expect(gunzipSync(body).equals(page), query).toBe(true);
      expect(body.length, query).toBeLessThan(page.length / 3);
      expect(plain.headers.get("content-encoding"), query).toBeNull();
      expect(plain.headers.get("vary"), query).toBe("Accept, Accept-Encoding");
    }
  });

  it("is marked as encoded already, so workerd sends it as it is", async () => {
    const respond = createResponder({ fs });
    const answer: Reply = await respond(
      new Request("http://localhost/docs/", { headers: { "Accept-Encoding": "gzip" } }),
    );
    expect([answer.encoded, answer.headers.get("content-encoding")]).toEqual([true, "gzip"]);
    const plain = await respond(new Request("http://localhost/docs/"));
    expect([plain.encoded, plain.headers.get("content-encoding")]).toEqual([false, null]);
  });

  it("is not gzipped for a client that declines it, nor below a packet's worth", async () => {
    for (const accept of ["identity", "gzip;q=0", "br", "*;q=0"]) {
      const response = await get("/docs/", { "Accept-Encoding": accept });
      expect(response.headers.get("content-encoding"), accept).toBeNull();
    }
    const small = await get("/tiny/?format=text", { "Accept-Encoding": "gzip" });
    expect(await small.text()).toBe("a.txt\n");
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(small.headers.get("vary")).toBe("Accept, Accept-Encoding");
  });

  it("is compressed once: the folder asked for again is answered from the gzip kept with the page", async () => {
    const compressions = countCompressions();
    const first = await bytes(await get("/docs/?sort=mtime", { "Accept-Encoding": "gzip" }));
    const second = await bytes(await get("/docs/?sort=mtime", { "Accept-Encoding": "gzip" }));
    expect(second.equals(first)).toBe(true);
    expect(compressions()).toBe(1);
    // The same answer uncompressed, and its HEAD with the gzip's length, compress nothing more.
    expect(gunzipSync(first).equals(await bytes(await get("/docs/?sort=mtime")))).toBe(true);
    const head = await get("/docs/?sort=mtime", { "Accept-Encoding": "gzip" }, "HEAD");
    expect([head.headers.get("content-length"), (await bytes(head)).length]).toEqual([String(first.length), 0]);
    expect(compressions()).toBe(1);
  });

  it("answers a 304 with the same Vary, whichever coding it had", async () => {
    const tag = (await get("/docs/", { "Accept-Encoding": "gzip" })).headers.get("etag") ?? "";
    const notModified = await get("/docs/", { "Accept-Encoding": "gzip", "If-None-Match": tag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("vary")).toBe("Accept, Accept-Encoding");
  });
});

describe("a large folder's listing (streamed)", () => {
  it("is gzipped as it is made, without a length, and decodes to the page sent uncompressed", async () => {
    const gzipped = await get("/large/", { "Accept-Encoding": "gzip" });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    expect(gzipped.headers.get("content-length")).toBeNull();
    const page = await bytes(await get("/large/"));
    const body = await bytes(gzipped);
    expect(gunzipSync(body).equals(page)).toBe(true);
    expect(body.length).toBeLessThan(page.length / 5);
    const head = await get("/large/", { "Accept-Encoding": "gzip" }, "HEAD");
    expect([head.headers.get("content-encoding"), (await bytes(head)).length]).toEqual(["gzip", 0]);
  });
});
