/**
 * What each answer costs in requests to the store, counted at the fetch s3FileSystem goes through,
 * against moto: the counts core's storage.test.ts sets for a store (a GET of a file is one call, a
 * 404 two, a listing one per page).
 */
import { createHandler, type HandlerOptions } from "@simplehttp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOTO_CREDENTIALS, MOTO_REGION, type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket, putObjects, rcloneMtime } from "../../../test/support/moto-seed.ts";
import { s3FileSystem } from "../src/index.js";
import { countingFetch, rawFetch } from "./fetches.ts";

const BUCKET = "round-trips";
const DATA = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto.endpoint, BUCKET);
  await putObjects(moto.endpoint, BUCKET, {
    "hello.txt": { body: "hello, object storage\n", headers: rcloneMtime(Date.UTC(2025, 0, 2)) },
    "data.bin": { body: DATA },
    "stored.js": { body: Uint8Array.of(0x1f, 0x8b, 8), headers: { "content-encoding": "gzip" } },
    "site/index.html": { body: "<h1>site</h1>" },
    "docs/a.txt": { body: "a" },
    "docs/sub/b.txt": { body: "b" },
    ...Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`many/f${i}.txt`, { body: "x" }])),
  });
}, 60_000);
afterAll(() => moto?.stop());

function serve(options: Omit<HandlerOptions, "fs"> = {}) {
  // rawFetch: Node's fetch would decode stored.js (see fetches.ts); the counts are the same.
  const { fetch, calls } = countingFetch(rawFetch);
  // Made on the first request: moto's port is known only once beforeAll has run.
  let handler: ((request: Request) => Promise<Response>) | undefined;
  return async (path: string, headers: Record<string, string> = {}, method = "GET") => {
    // The lookup's own calls: the site's rules add two stats a request (core's site-rules test).
    handler ??= createHandler({
      siteRules: false,
      ...options,
      fs: s3FileSystem({
        bucket: BUCKET,
        endpoint: moto.endpoint,
        region: MOTO_REGION,
        credentials: MOTO_CREDENTIALS,
        fetch,
      }),
    });
    calls.length = 0;
    const response = await handler(new Request(`http://localhost${path}`, { headers, method }));
    const body = new Uint8Array(await response.arrayBuffer());
    return { response, body, calls: [...calls] };
  };
}

describe("round trips to S3", () => {
  const get = serve();

  it("GET of a file: one GET, metadata and bytes together", async () => {
    const { response, body, calls } = await get("/hello.txt");
    expect(response.status).toBe(200);
    expect(new TextDecoder().decode(body)).toBe("hello, object storage\n");
    expect(calls).toEqual(["GET hello.txt"]);
  });

  it("a range: one GET carrying the Range", async () => {
    const { response, body, calls } = await get("/data.bin", { range: "bytes=-10" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 990-999/1000");
    expect([...body]).toEqual([...DATA.slice(990)]);
    expect(calls).toEqual(["GET data.bin [bytes=-10]"]);
  });

  it("a 304: at most one call; a HEAD: one HEAD", async () => {
    const etag = (await get("/hello.txt")).response.headers.get("etag") ?? "";
    const notModified = await get("/hello.txt", { "if-none-match": etag });
    expect(notModified.response.status).toBe(304);
    expect(notModified.calls.length).toBeLessThanOrEqual(1);
    const head = await get("/hello.txt", {}, "HEAD");
    expect(head.response.headers.get("content-length")).toBe("22");
    expect(head.calls).toEqual(["HEAD hello.txt"]);
  });

  it("a 404: a GET and one list of at most one key; one GET more for the site's 404.html", async () => {
    const bare = await serve({ notFoundPage: false })("/missing.txt");
    expect(bare.response.status).toBe(404);
    expect(bare.calls).toEqual([
      "GET missing.txt",
      "GET  ?list-type=2&delimiter=/&encoding-type=url&prefix=missing.txt/&max-keys=1",
    ]);
    const { calls } = await get("/missing.txt");
    expect(calls).toHaveLength(3);
    expect(calls[2]).toBe("GET 404.html");
  });

  it("a folder without its slash: at most two calls for the 301", async () => {
    const { response, calls } = await get("/docs");
    expect(response.status).toBe(301);
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it("a listing: one list per page of 1,000; an index page: the list and its GET", async () => {
    const docs = await get("/docs/");
    expect(docs.response.status).toBe(200);
    expect(docs.calls).toHaveLength(1);
    const many = await get("/many/");
    expect(new TextDecoder().decode(many.body)).toContain('href="f999.txt"');
    expect(many.calls).toHaveLength(2);
    const site = await get("/site/");
    expect(new TextDecoder().decode(site.body)).toBe("<h1>site</h1>");
    expect(site.calls).toEqual([expect.stringMatching(/^GET {2}\?list-type=2.*prefix=site\//), "GET site/index.html"]);
  });

  // A 416 from S3 has no metadata.
  it("costs one call more where S3 cannot do it in one: a 416 and an object stored encoded", async () => {
    const unsatisfiable = await get("/data.bin", { range: "bytes=5000-" });
    expect(unsatisfiable.response.status).toBe(416);
    expect(unsatisfiable.response.headers.get("content-range")).toBe("bytes */1000");
    expect(unsatisfiable.calls).toEqual(["GET data.bin [bytes=5000-]", "HEAD data.bin"]);
    const encoded = await get("/stored.js");
    expect([...encoded.body]).toEqual([0x1f, 0x8b, 8]);
    expect(encoded.calls).toHaveLength(2);
  });
});
