/**
 * Round trips to R2 per request, counted by a wrapper around the real binding inside the worker
 * (worker.ts): the counts packages/core/test/storage.test.ts asks of a store, met in workerd.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, patterned } from "./client.ts";
import { putAll, type R2Worker, startR2Worker } from "./miniflare.ts";

let worker: R2Worker;
beforeAll(async () => {
  worker = await startR2Worker("packages/r2/test/worker.ts");
  await putAll(worker.bucket, [
    ["hello.txt", "hello, R2\n"],
    ["data.bin", patterned(1000)],
    ["empty.txt", ""],
    ["docs/a.txt", "a"],
    ["docs/b.txt", "b"],
    ["docs/sub/c.txt", "c"],
    ["site/index.html", "<h1>site</h1>"],
    ["with-404/404.html", "<h1>custom 404</h1>"],
    ...Array.from({ length: 1003 }, (_, i): [string, string] => [`many/f${String(i).padStart(4, "0")}.txt`, String(i)]),
    ["many/sub0/x.txt", "x"],
    ["many/sub1/x.txt", "x"],
  ]);
}, 120_000);
afterAll(() => worker?.stop());

describe("round trips to R2", () => {
  const get = (path: string, headers?: Record<string, string>, method?: string) =>
    client(worker)(path, headers, method);

  it("with the site's rules on, a request also asks for the first byte of each rule file: two gets", async () => {
    const { calls } = await client(worker, { siteRules: true })("/hello.txt");
    expect(calls.sort()).toEqual([
      'get _headers {"offset":0,"length":1}',
      'get _redirects {"offset":0,"length":1}',
      "get hello.txt",
    ]);
  });

  it("costs one get for a GET of a file: metadata and bytes together", async () => {
    const { status, text, calls } = await get("/hello.txt");
    expect(status).toBe(200);
    expect(text).toBe("hello, R2\n");
    expect(calls).toEqual(["get hello.txt"]);
  });

  it("costs one get for a range, R2 reading just that range", async () => {
    for (const [range, asked] of [
      ["bytes=100-199", '{"offset":100,"length":100}'],
      ["bytes=990-", '{"offset":990}'],
      ["bytes=-10", '{"suffix":10}'],
      ["bytes=900-5000", '{"offset":900,"length":4101}'],
    ] as const) {
      const { status, calls } = await get("/data.bin", { Range: range });
      expect(status, range).toBe(206);
      expect(calls, range).toEqual([`get data.bin ${asked}`]);
    }
  });

  it("costs at most one call for a 304, and one head for a HEAD", async () => {
    const etag = (await get("/hello.txt")).headers.etag ?? "";
    const notModified = await get("/hello.txt", { "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.calls.length).toBeLessThanOrEqual(1);
    const head = await get("/hello.txt", {}, "HEAD");
    expect(head.headers["content-length"]).toBe("10");
    expect(head.calls).toEqual(["head hello.txt"]);
  });

  it("costs two calls for a 404 (the key, then one key of the prefix), and a get for the site's 404.html", async () => {
    const plain = await client(worker, { notFoundPage: false })("/missing.txt");
    expect(plain.status).toBe(404);
    expect(plain.calls).toEqual(["get missing.txt", "list missing.txt/ limit=1"]);
    expect((await get("/missing.txt")).calls).toEqual(["get missing.txt", "list missing.txt/ limit=1", "get 404.html"]);
    const custom = await client(worker, { prefix: "with-404" })("/missing.txt");
    expect([custom.status, custom.text]).toEqual([404, "<h1>custom 404</h1>"]);
    expect(custom.calls).toEqual([
      "get with-404/missing.txt",
      "list with-404/missing.txt/ limit=1",
      "get with-404/404.html",
    ]);
  });

  it("costs two calls to redirect a folder asked for without its slash", async () => {
    const { status, headers, calls } = await get("/docs");
    expect([status, headers.location]).toEqual([301, "/docs/"]);
    expect(calls).toEqual(["get docs", "list docs/ limit=1 truncated"]);
  });

  it("lists a folder with one list call, and finds its index page in that listing", async () => {
    const listing = await get("/docs/");
    expect(listing.status).toBe(200);
    expect(listing.calls).toEqual(["list docs/ limit=1000"]);
    const site = await get("/site/");
    expect(site.text).toBe("<h1>site</h1>");
    expect(site.calls).toEqual(["list site/ limit=1000", "get site/index.html"]);
  });

  it("lists past 1,000 keys, one list call per 1,000, following the cursor until R2 says it is done", async () => {
    const { status, text, calls } = await get("/many/?format=text");
    expect(status).toBe(200);
    const names = text.split("\n").filter((line) => line !== "");
    expect(names).toHaveLength(1005);
    expect(names.slice(0, 2)).toEqual(["sub0/", "sub1/"]);
    expect(names).toContain("f1002.txt");
    expect(calls).toEqual(["list many/ limit=1000 truncated", "list many/ limit=1000 cursor"]);
  });

  it("pays for rclone's mtimes in listings (listingMtime) with shorter pages: still one call per page", async () => {
    const { text, calls } = await client(worker, { listingMtime: true })("/many/?format=text");
    expect(text.split("\n").filter((line) => line !== "")).toHaveLength(1005);
    // Miniflare answers 100 keys a page when metadata is included; R2 promises only "fewer".
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every((call) => call.startsWith("list many/ limit=1000"))).toBe(true);
    expect(calls.slice(0, -1).every((call) => call.endsWith(" truncated"))).toBe(true);
    expect(calls.at(-1)).toBe("list many/ limit=1000 cursor");
  });

  it("answers a prefix with no key below it 404 after one list", async () => {
    const { status, calls } = await client(worker, { notFoundPage: false })("/nothing/");
    expect(status).toBe(404);
    expect(calls).toEqual(["list nothing/ limit=1000"]);
  });

  it("costs a get and a head for a range R2 refuses: 416 past the end, and the whole empty file", async () => {
    const unsatisfiable = await get("/data.bin", { Range: "bytes=5000-" });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers["content-range"]).toBe("bytes */1000");
    expect(unsatisfiable.calls).toEqual(['get data.bin {"offset":5000}', "head data.bin"]);
    const empty = await get("/empty.txt", { Range: "bytes=0-" });
    expect([empty.status, empty.headers["content-length"]]).toEqual([200, "0"]);
    expect(empty.calls).toEqual(['get empty.txt {"offset":0}', "head empty.txt"]);
  });

  it("costs no call at all for a name no R2 key can have", async () => {
    const { status, calls } = await client(worker, { notFoundPage: false })("/inv%FFalid.txt");
    expect(status).toBe(404);
    expect(calls).toEqual([]);
  });
});
