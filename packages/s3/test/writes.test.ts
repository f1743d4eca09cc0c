/**
 * s3FileSystem's writes on a local moto: the write table (test/support/write-table.ts), then what
 * a bucket shows of them: the objects' stored type and rclone's mtime, a folder's `dir/` marker,
 * deletes 1,000 keys a call, and the handler's PUT, MKCOL, DELETE and MOVE over it.
 */
import { createHandler, type FileSystem } from "@simplehttp/core";
import { AwsClient } from "aws4fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOTO_CREDENTIALS, MOTO_REGION, type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket, objectUrl, putObjects } from "../../../test/support/moto-seed.ts";
import { writeContract } from "../../../test/support/write-suite.ts";
import { runWriteTable } from "../../../test/support/write-table.ts";
import { s3FileSystem } from "../src/index.js";
import { countingFetch } from "./fetches.ts";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
}, 30_000);
afterAll(() => moto?.stop());

async function writableBucket(bucket: string, options: { prefix?: string; writable?: boolean } = {}) {
  await createBucket(moto.endpoint, bucket);
  const counting = countingFetch();
  const fs = s3FileSystem({
    bucket,
    endpoint: moto.endpoint,
    region: MOTO_REGION,
    credentials: MOTO_CREDENTIALS,
    writable: true,
    ...options,
    fetch: counting.fetch,
  });
  return { fs, calls: counting.calls };
}

writeContract("s3 (moto)", async () => runWriteTable((await writableBucket("writes-table")).fs));
writeContract("s3 (moto), under a prefix", async () =>
  runWriteTable((await writableBucket("writes-prefix", { prefix: "site/v1" })).fs),
);

/** A signed request straight to moto, as another S3 client would send it. */
function raw(path: string, init: RequestInit = {}): Promise<Response> {
  const aws = new AwsClient({ ...MOTO_CREDENTIALS, region: MOTO_REGION, service: "s3", retries: 0 });
  return aws.fetch(`${moto.endpoint}/${path}`, init);
}

const handlerOf = (fs: FileSystem) => createHandler({ fs, write: { delete: true } });

describe("what a bucket keeps of a write", () => {
  it("has no writes unless opened writable, and a handler told to write refuses it at once", async () => {
    const { fs } = await writableBucket("read-only", { writable: false });
    expect(fs.writes).toBeUndefined();
    expect(() => handlerOf(fs)).toThrow(/can write/);
  });

  it("stores the type its name says and rclone's mtime, so a GET later sends them", async () => {
    const { fs } = await writableBucket("kept");
    const mtimeMs = Date.UTC(2024, 1, 29, 12, 30, 15, 250);
    await fs.writes?.put("docs/page.html", new Blob(["<h1>hi</h1>"]).stream(), {
      mode: "create",
      maxBytes: 1000,
      parents: true,
      mtimeMs,
    });
    const head = await raw(`kept/${"docs/page.html"}`, { method: "HEAD" });
    expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(head.headers.get("x-amz-meta-mtime")).toBe("1709209815.250");
    const response = await handlerOf(fs)(new Request("http://h/docs/page.html"));
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("last-modified")).toBe("Thu, 29 Feb 2024 12:30:15 GMT");
  });

  it("makes a folder as a zero-byte `dir/` marker, which keeps it when empty", async () => {
    const { fs } = await writableBucket("markers");
    const made = await handlerOf(fs)(new Request("http://h/new/", { method: "MKCOL" }));
    expect(made.status).toBe(201);
    const listing = await (await raw("markers?list-type=2")).text();
    expect(listing).toContain("<Key>new/</Key>");
    expect(listing).toContain("<Size>0</Size>");
    expect(await fs.readDir("new")).toEqual([]);
    const missing = await handlerOf(fs)(new Request("http://h/no/such/", { method: "MKCOL" }));
    expect(missing.status).toBe(409);
  });

  it("deletes a folder of 1,005 keys in two DeleteObjects calls", async () => {
    const { fs, calls } = await writableBucket("many");
    const objects = Object.fromEntries(
      Array.from({ length: 1005 }, (_, i) => [`tree/${i % 3}/f${i}.txt`, { body: String(i) }]),
    );
    await putObjects(moto.endpoint, "many", { ...objects, "kept.txt": { body: "k" } });
    calls.length = 0;
    expect((await handlerOf(fs)(new Request("http://h/tree/", { method: "DELETE" }))).status).toBe(204);
    expect(calls.filter((call) => call.startsWith("POST  ?delete"))).toHaveLength(2);
    expect((await fs.readDir("")).map((entry) => entry.name)).toEqual(["kept.txt"]);
  });

  it("moves a folder key by key, its marker and metadata with it, and answers 201", async () => {
    const { fs } = await writableBucket("moves");
    await putObjects(moto.endpoint, "moves", {
      "from/": { body: "" },
      "from/a.css": { body: "a{}", headers: { "content-type": "text/css", "x-amz-meta-mtime": "1000.5" } },
      "from/deep/b.txt": { body: "b" },
    });
    const moved = await handlerOf(fs)(
      new Request("http://h/from/", { method: "MOVE", headers: { destination: "http://h/to/" } }),
    );
    expect(moved.status).toBe(201);
    const listing = await (await raw("moves?list-type=2")).text();
    expect([...listing.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => match[1])).toEqual([
      "to/",
      "to/a.css",
      "to/deep/b.txt",
    ]);
    expect(await fs.stat("to/a.css")).toMatchObject({ contentType: "text/css", mtimeMs: 1000500 });
  });

  it("answers a PUT 201 with the object's ETag, and a replace 204", async () => {
    const { fs } = await writableBucket("puts");
    const handler = handlerOf(fs);
    const created = await handler(new Request("http://h/a/b.txt", { method: "PUT", body: "one" }));
    expect(created.status).toBe(201);
    const head = await raw(objectUrl("", "puts", "a/b.txt").slice(1), { method: "HEAD" });
    expect(created.headers.get("etag")).toBe(head.headers.get("etag"));
    const replaced = await handler(
      new Request("http://h/a/b.txt", {
        method: "PUT",
        body: "two",
        headers: { "if-match": `${head.headers.get("etag")}` },
      }),
    );
    expect(replaced.status).toBe(204);
    expect(await (await handler(new Request("http://h/a/b.txt"))).text()).toBe("two");
  });
});
