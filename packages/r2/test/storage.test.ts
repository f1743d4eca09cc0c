/**
 * What serving from R2 means, in workerd against Miniflare's R2: keys used as names with no
 * escaping, the ranges R2 refuses or answers whole, rclone's mtime, metadata stored with objects,
 * folder markers, and a prefix.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listedEntries } from "../../../test/support/listing.ts";
import { client, patterned } from "./client.ts";
import { putAll, type R2Worker, startR2Worker } from "./miniflare.ts";

const NAMES = [
  "a b.txt",
  "naïve 日本.txt",
  "emoji 🎉.txt",
  "hash#tag.txt",
  "what?.txt",
  "100%.txt",
  "a%2Fb.txt",
  "plus+sign.txt",
  "semi;colon=.txt",
  'quote\'s "q".txt',
];
const APP_JS = "export const stored = 'gzipped';\n";
const RCLONE_MTIME = "1735787045.987654321"; // Thu, 02 Jan 2025 03:04:05.987 GMT

let worker: R2Worker;
let uploadedFrom = 0;
let uploadedTo = 0;
beforeAll(async () => {
  worker = await startR2Worker("packages/r2/test/worker.ts");
  uploadedFrom = Date.now();
  await putAll(worker.bucket, [
    ...NAMES.map((name, i): [string, string] => [`names/${name}`, `name ${i}`]),
    ["data.bin", patterned(1000)],
    ["empty.txt", ""],
    ["times/rclone.txt", "r", { customMetadata: { mtime: RCLONE_MTIME } }],
    ["times/uploaded.txt", "u"],
    ["times/garbage.txt", "g", { customMetadata: { mtime: "yesterday" } }],
    ["meta/typed.dat", "{}", { httpMetadata: { contentType: "application/json" } }],
    ["meta/generic.css", "a{}", { httpMetadata: { contentType: "binary/octet-stream" } }],
    ["meta/app.js", gzipSync(APP_JS), { httpMetadata: { contentType: "text/javascript", contentEncoding: "gzip" } }],
    ["meta/cached.txt", "c", { httpMetadata: { cacheControl: "max-age=60" } }],
    ["markers/", ""],
    ["markers/x.txt", "x"],
    ["markers/empty/", ""],
    ["odd//double.txt", "d"],
    ["sites/www/index.html", "<h1>www</h1>"],
    ["sites/www/about.txt", "about"],
    ["sites/www-other/secret.txt", "not under the prefix"],
  ]);
  uploadedTo = Date.now();
}, 60_000);
afterAll(() => worker?.stop());

const get = (path: string, headers?: Record<string, string>, method?: string) => client(worker)(path, headers, method);
const md5 = (text: string) => `"${createHash("md5").update(text).digest("hex")}"`;

describe("keys are names, escaped in no way", () => {
  it("lists keys with spaces, unicode, #, ?, % and quotes, and serves each from the link it lists", async () => {
    const listing = await get("/names/");
    const entries = listedEntries(listing.text);
    expect(entries.map((entry) => entry.label).sort()).toEqual([...NAMES].sort());
    for (const { href, label } of entries) {
      const file = await get(`/names/${href}`);
      expect(file.status, href).toBe(200);
      expect(file.text, href).toBe(`name ${NAMES.indexOf(label)}`);
      expect(file.calls, href).toEqual([`get names/${label}`]);
    }
    // A literal "%2F" in a key is three characters, not a slash: its link escapes the %.
    expect(entries.find((entry) => entry.label === "a%2Fb.txt")?.href).toBe("a%252Fb.txt");
  });

  it("answers 404, not asking R2, for a name no key can have: a byte not UTF-8, or more than 1,024 bytes", async () => {
    const noPage = client(worker, { notFoundPage: false });
    for (const path of ["/names/inv%FFalid.txt", `/${"é".repeat(600)}`]) {
      const { status, calls } = await noPage(path);
      expect(status, path).toBe(404);
      expect(calls, path).toEqual([]);
    }
  });
});

describe("the ranges R2 refuses or answers whole (checked in Miniflare)", () => {
  it("answers an offset at or past the end 416 with the size, though R2 throws for it", async () => {
    for (const range of ["bytes=1000-", "bytes=1000-1005", "bytes=5000-6000"]) {
      const { status, headers } = await get("/data.bin", { Range: range });
      expect(status, range).toBe(416);
      expect(headers["content-range"], range).toBe("bytes */1000");
    }
  });

  it("serves an empty object whole (200, no bytes) to any Range, though R2 throws for every range of it", async () => {
    for (const range of ["bytes=0-", "bytes=0-0", "bytes=-5"]) {
      const { status, headers, body } = await get("/empty.txt", { Range: range });
      expect([status, headers["content-length"], body.length], range).toEqual([200, "0", 0]);
    }
  });

  it("answers the last byte, an end past the size, a suffix longer than the object, with the bytes named", async () => {
    for (const [range, start, end] of [
      ["bytes=999-", 999, 999],
      ["bytes=900-5000", 900, 999],
      ["bytes=-5000", 0, 999],
      ["bytes=0-", 0, 999],
    ] as const) {
      const { status, headers, body } = await get("/data.bin", { Range: range });
      expect(status, range).toBe(206);
      expect(headers["content-range"], range).toBe(`bytes ${start}-${end}/1000`);
      expect([...body], range).toEqual([...patterned(1000).slice(start, end + 1)]);
    }
  });

  it("serves several ranges as multipart/byteranges with a Content-Length, reading each part as a range", async () => {
    const { status, headers, body, calls } = await get("/data.bin", { Range: "bytes=0-9,500-509" });
    expect(status).toBe(206);
    expect(Number(headers["content-length"])).toBe(body.length);
    const text = body.toString("latin1");
    expect(text).toContain("Content-Range: bytes 500-509/1000");
    expect(text).toContain(Buffer.from(patterned(1000).slice(500, 510)).toString("latin1"));
    // R2 would answer a multi-range Headers object whole: each part is asked for by offset.
    expect(calls.slice(1)).toEqual([
      'get data.bin {"offset":0,"length":10}',
      'get data.bin {"offset":500,"length":10}',
    ]);
  });

  it("answers a GET without Range 200 whole, though R2 sets a range on every object it returns", async () => {
    const { status, headers, body } = await get("/data.bin");
    expect([status, headers["content-range"], body.length]).toEqual([200, undefined, 1000]);
  });
});

describe("validators from the store", () => {
  it("sends R2's strong ETag (the MD5 of the bytes) and honours it in If-None-Match and If-Range", async () => {
    const { headers } = await get("/times/uploaded.txt");
    expect(headers.etag).toBe(md5("u"));
    expect((await get("/times/uploaded.txt", { "If-None-Match": md5("u") })).status).toBe(304);
    expect(
      (await get("/data.bin", { Range: "bytes=0-1", "If-Range": md5(Buffer.from(patterned(1000)).toString("latin1")) }))
        .status,
    ).toBe(200);
  });

  it("takes Last-Modified from rclone's mtime (seconds since the epoch), else from the upload date", async () => {
    expect((await get("/times/rclone.txt")).headers["last-modified"]).toBe("Thu, 02 Jan 2025 03:04:05 GMT");
    for (const path of ["/times/uploaded.txt", "/times/garbage.txt"]) {
      const time = Date.parse((await get(path)).headers["last-modified"] ?? "");
      expect(time, path).toBeGreaterThanOrEqual(Math.floor(uploadedFrom / 1000) * 1000);
      expect(time, path).toBeLessThanOrEqual(uploadedTo);
    }
  });

  it("lists upload dates by default, and rclone's mtime with listingMtime", async () => {
    type Listing = { entries: { name: string; mtime: string | null }[] };
    const times = async (config: { listingMtime?: boolean }) => {
      const { text } = await client(worker, config)("/times/?format=json");
      return Object.fromEntries(
        (JSON.parse(text) as Listing).entries.map((entry) => [entry.name, Date.parse(entry.mtime ?? "")]),
      );
    };
    const plain = await times({});
    expect(plain["rclone.txt"]).toBeGreaterThanOrEqual(uploadedFrom - 1000);
    const withMtime = await times({ listingMtime: true });
    expect(withMtime["rclone.txt"]).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 987));
    expect(withMtime["uploaded.txt"]).toBe(plain["uploaded.txt"]);
  });
});

describe("metadata stored with an object", () => {
  it("uses a stored Content-Type, but the name's over a generic one", async () => {
    expect((await get("/meta/typed.dat")).headers["content-type"]).toBe("application/json");
    expect((await get("/meta/generic.css")).headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  it("sends an object stored gzipped as stored, with its Content-Encoding, not encoded again by workerd", async () => {
    const { headers, body } = await get("/meta/app.js");
    expect(headers["content-encoding"]).toBe("gzip");
    expect(headers["content-type"]).toBe("text/javascript");
    expect(headers.vary).toBeUndefined();
    expect(body.equals(gzipSync(APP_JS))).toBe(true);
    // A client that refuses gzip gets it decoded by the platform (Miniflare, like Cloudflare's edge).
    expect((await get("/meta/app.js", { "Accept-Encoding": "identity" })).text).toBe(APP_JS);
  });

  it("uses a stored Cache-Control unless the handler sets one", async () => {
    expect((await get("/meta/cached.txt")).headers["cache-control"]).toBe("max-age=60");
    expect((await client(worker, { cacheControl: "no-cache" })("/meta/cached.txt")).headers["cache-control"]).toBe(
      "no-cache",
    );
  });
});

describe("folders are prefixes", () => {
  it("does not list a folder's own marker object, and lists a folder that has only its marker as empty", async () => {
    expect(listedEntries((await get("/markers/")).text).map((entry) => entry.label)).toEqual(["empty/", "x.txt"]);
    const empty = await get("/markers/empty/");
    expect(empty.status).toBe(200);
    expect(listedEntries(empty.text)).toEqual([]);
    expect((await get("/markers/empty")).headers.location).toBe("/markers/empty/");
  });

  it("lists no entry for an empty segment (a key with //)", async () => {
    expect(listedEntries((await get("/odd/")).text)).toEqual([]);
  });

  it("serves only the keys under `prefix`, at the root", async () => {
    const www = client(worker, { prefix: "/sites/www/" });
    const index = await www("/");
    expect(index.text).toBe("<h1>www</h1>");
    expect(index.calls).toEqual(["list sites/www/ limit=1000", "get sites/www/index.html"]);
    expect((await www("/about.txt")).text).toBe("about");
    expect((await www("/?format=text", { Accept: "text/plain" })).status).toBe(200);
    // sites/www-other/ shares the characters, not the folder.
    expect((await www("/../www-other/secret.txt")).status).toBeGreaterThanOrEqual(400);
    expect((await client(worker, { prefix: "sites/www", notFoundPage: false })("/secret.txt")).calls).toEqual([
      "get sites/www/secret.txt",
      "list sites/www/secret.txt/ limit=1",
    ]);
  });
});
