/**
 * s3FileSystem against a real S3 API (a local moto): what a bucket holds that a disk does not, and
 * the keys that trip up S3 clients.
 */
import { createHandler, encodeName, type FileSystem } from "@simplehttp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOTO_CREDENTIALS, MOTO_REGION, type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket, putObjects, rcloneMtime, type SeedObject } from "../../../test/support/moto-seed.ts";
import { type S3Options, s3FileSystem } from "../src/index.js";
import { countingFetch, rawFetch } from "./fetches.ts";

const BUCKET = "bucket-test";
const MTIME_SECONDS = "1735787045.5"; // Thu, 02 Jan 2025 03:04:05.5 GMT
const GZIPPED = Uint8Array.from([
  0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3, 0x4b, 0x04, 0, 0x43, 0xbe, 0xb7, 0xe8, 1, 0, 0, 0,
]); // gzip of "a"

/**
 * Names that S3 clients get wrong: spaces, unicode, URL delimiters, `%`, `+`, and `0010` (a number
 * to a careless XML parser).
 */
const ODD_NAMES = [
  "a b.txt",
  "naïve 日本.txt",
  "x#y.txt",
  "q?.txt",
  "100%.txt",
  "a+b.txt",
  "0010",
  " spaced ",
  "(paren)!*'.txt",
  "~tilde",
  "sub dir",
];

const objects: Record<string, SeedObject> = {
  ...Object.fromEntries(
    Array.from({ length: 1005 }, (_, i) => [`many/f${String(i).padStart(4, "0")}.txt`, { body: String(i) }]),
  ),
  "many/sub-a/x.txt": { body: "x" },
  "many/sub-b/x.txt": { body: "x" },
  ...Object.fromEntries(
    ODD_NAMES.map((name) => [
      name === "sub dir" ? "odd/sub dir/in.txt" : `odd/${name}`,
      { body: `content of ${name}` },
    ]),
  ),
  "times/rclone.txt": { body: "r", headers: rcloneMtime(Number(MTIME_SECONDS) * 1000) },
  "times/uploaded.txt": { body: "u" },
  "meta/typed.dat": { body: "{}", headers: { "content-type": "application/json" } },
  "meta/cached.txt": { body: "c", headers: { "cache-control": "max-age=60" } },
  "meta/app.js": { body: GZIPPED, headers: { "content-type": "text/javascript", "content-encoding": "gzip" } },
  "marked/": { body: "" },
  "marked/in.txt": { body: "in" },
  "empty-folder/": { body: "" },
};

let moto: Moto;
let uploadedAt = 0;
beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto.endpoint, BUCKET);
  uploadedAt = Date.now();
  await putObjects(moto.endpoint, BUCKET, objects);
}, 60_000);
afterAll(() => moto?.stop());

function bucket(options: Partial<S3Options> = {}): { fs: FileSystem; calls: string[] } {
  const counting = countingFetch(options.fetch);
  const fs = s3FileSystem({
    bucket: BUCKET,
    endpoint: moto.endpoint,
    region: MOTO_REGION,
    credentials: MOTO_CREDENTIALS,
    ...options,
    fetch: counting.fetch,
  });
  return { fs, calls: counting.calls };
}

async function get(fs: FileSystem, path: string, init: RequestInit = {}): Promise<Response> {
  // The lookup's own calls: the site's rules would add their two GETs (core's site-rules test).
  return createHandler({ fs, siteRules: false })(new Request(`http://localhost${path}`, init));
}

describe("folders are prefixes", () => {
  it("lists past 1,000 keys, following NextContinuationToken, one list call per page", async () => {
    const { fs, calls } = bucket();
    const entries = await fs.readDir("many");
    expect(entries).toHaveLength(1007);
    expect(new Set(entries.map((entry) => entry.name)).size).toBe(1007);
    expect(
      entries
        .filter((entry) => entry.stat?.kind === "directory")
        .map((entry) => entry.name)
        .sort(),
    ).toEqual(["sub-a", "sub-b"]);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toContain("continuation-token=");
  });

  it("ignores a folder's own `dir/` marker, and shows a marker alone as an empty folder", async () => {
    const { fs } = bucket();
    expect((await fs.readDir("marked")).map((entry) => entry.name)).toEqual(["in.txt"]);
    expect(await fs.readDir("empty-folder")).toEqual([]);
    expect(await fs.stat("empty-folder")).toEqual({ kind: "directory", size: 0 });
    expect((await get(fs, "/empty-folder/")).status).toBe(200);
  });

  it("throws ENOENT for a prefix with no key below it, and lists an empty root", async () => {
    const { fs } = bucket();
    await expect(fs.readDir("nothing")).rejects.toMatchObject({ code: "ENOENT" });
    expect(await fs.readDir("")).not.toHaveLength(0);
    expect(await bucket({ prefix: "nothing/here" }).fs.readDir("")).toEqual([]);
  });

  it("serves the folder `prefix` names as the root", async () => {
    const { fs } = bucket({ prefix: "/odd/" });
    expect(await fs.stat("a b.txt")).toMatchObject({ kind: "file", size: "content of a b.txt".length });
    expect((await fs.readDir("")).map((entry) => entry.name).sort()).toEqual([...ODD_NAMES].sort());
    expect(await (await get(fs, "/sub%20dir/in.txt")).text()).toBe("content of sub dir");
  });
});

describe("keys that trip up S3 clients", () => {
  it("lists each name exactly (encoding-type=url, no number parsing, no trimming)", async () => {
    const names = (await bucket().fs.readDir("odd")).map((entry) => entry.name).sort();
    expect(names).toEqual([...ODD_NAMES].sort());
  });

  it.each(ODD_NAMES.filter((name) => name !== "sub dir"))(
    "serves %j from the link its listing writes",
    async (name) => {
      const response = await get(bucket().fs, `/odd/${encodeName(name)}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`content of ${name}`);
    },
  );
});

describe("metadata", () => {
  it("takes Last-Modified from rclone's x-amz-meta-mtime, else from the upload", async () => {
    const { fs } = bucket();
    expect((await get(fs, "/times/rclone.txt")).headers.get("last-modified")).toBe("Thu, 02 Jan 2025 03:04:05 GMT");
    expect((await fs.stat("times/rclone.txt"))?.mtimeMs).toBe(1735787045500);
    const uploaded = (await fs.stat("times/uploaded.txt"))?.mtimeMs ?? 0;
    expect(Math.abs(uploaded - uploadedAt)).toBeLessThan(60_000);
  });

  it("lists the upload time (ListObjectsV2 carries no user metadata) and the stored ETag", async () => {
    const entries = await bucket().fs.readDir("times");
    const rclone = entries.find((entry) => entry.name === "rclone.txt");
    expect(Math.abs((rclone?.stat?.mtimeMs ?? 0) - uploadedAt)).toBeLessThan(60_000);
    expect(rclone?.stat?.etag).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it("sends the stored ETag, Content-Type and Cache-Control", async () => {
    const { fs } = bucket();
    const typed = await get(fs, "/meta/typed.dat");
    expect(typed.headers.get("content-type")).toBe("application/json");
    expect(typed.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await get(fs, "/meta/cached.txt")).headers.get("cache-control")).toBe("max-age=60");
  });

  it("sends an object stored gzipped as stored, asking the store with response-content-encoding=identity", async () => {
    const { fs, calls } = bucket({ fetch: rawFetch });
    const response = await get(fs, "/meta/app.js", { headers: { "accept-encoding": "identity" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("content-type")).toBe("text/javascript");
    expect(response.headers.get("content-length")).toBe(String(GZIPPED.byteLength));
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([...GZIPPED]);
    // The first GET's body may have been decoded by the runtime: the bytes come from a second.
    expect(calls).toEqual([
      "GET meta/app.js",
      `GET meta/app.js ?response-content-encoding=identity [bytes=0-${GZIPPED.byteLength - 1}]`,
    ]);
  });

  // As under Node's fetch, which decodes, against moto, which ignores response-content-encoding.
  it("fails the read rather than send decoded bytes, where the runtime decoded and the store ignored it", async () => {
    const { fs } = bucket();
    expect(await fs.stat("meta/app.js")).toMatchObject({ contentEncoding: "gzip", size: GZIPPED.byteLength });
    await expect(fs.read("meta/app.js", { start: 0, end: GZIPPED.byteLength - 1 })).rejects.toThrow(
      /response-content-encoding/,
    );
  });
});

describe("errors", () => {
  it("answers 502 for a bucket that does not exist, not 404: the store fails, the path may be fine", async () => {
    const errors: unknown[] = [];
    const fs = bucket({ bucket: "no-such-bucket" }).fs;
    const response = await createHandler({ fs, siteRules: false, onError: (error) => errors.push(error) })(
      new Request("http://localhost/a.txt"),
    );
    expect(response.status).toBe(502);
    expect(String(errors[0])).toMatch(/does not exist/);
  });

  it("answers 403 when the store refuses the credentials", async () => {
    await moto.enforceAuth(true);
    try {
      const { fs } = bucket();
      await expect(fs.stat("times/rclone.txt")).rejects.toMatchObject({ code: "EACCES" });
      expect((await get(fs, "/times/rclone.txt")).status).toBe(403);
    } finally {
      await moto.enforceAuth(false);
    }
  });
});
