/**
 * examples/cloudflare-r2: the worker bundled with esbuild and run in workerd with the bucket and
 * variables its wrangler.toml declares, seeded as `rclone copy` would leave it.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Imported, so tsc -p tsconfig.test.json typechecks the example too (no tsconfig includes examples/).
import exampleWorker from "../../../examples/cloudflare-r2/src/worker.ts";
import { listedEntries } from "../../../test/support/listing.ts";
import { rawGet } from "../../../test/support/raw-http.ts";
import { REPO_ROOT } from "../../../test/support/spawn-server.ts";
import { patterned } from "./client.ts";
import { putAll, type R2Worker, startR2Worker } from "./miniflare.ts";

const EXAMPLE = "examples/cloudflare-r2/";
const toml = readFileSync(`${REPO_ROOT}${EXAMPLE}wrangler.toml`, "utf8");
/** A `key = "value"` of wrangler.toml (this file's keys are unique). */
const setting = (key: string): string => {
  const value = new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, "m").exec(toml)?.[1];
  if (value === undefined) throw new Error(`wrangler.toml has no ${key}`);
  return value;
};
const MTIME = "1767323045"; // Fri, 02 Jan 2026 03:04:05 GMT

let worker: R2Worker;
beforeAll(async () => {
  worker = await startR2Worker(`${EXAMPLE}${setting("main")}`, {
    binding: setting("binding"),
    bucketName: setting("bucket_name"),
    compatibilityDate: setting("compatibility_date"),
    bindings: { PREFIX: setting("PREFIX") },
  });
  const meta = { customMetadata: { mtime: MTIME } };
  await putAll(worker.bucket, [
    ["index.html", "<h1>home</h1>", meta],
    ["files/report.pdf", patterned(100_000), meta],
    ["files/notes.txt", "notes", meta],
    ["files/deep/x.txt", "x", meta],
    ["404.html", "<h1>lost</h1>", meta],
  ]);
}, 60_000);
afterAll(() => worker?.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  rawGet(worker.port, path, headers, { timeoutMs: 10_000 });

describe("examples/cloudflare-r2", () => {
  it("serves the bucket's index.html at /", async () => {
    expect(typeof exampleWorker.fetch).toBe("function");
    const home = await get("/");
    expect([home.status, home.body.toString()]).toEqual([200, "<h1>home</h1>"]);
  });

  it("lists a folder that has no index page, folders first", async () => {
    const listing = await get("/files/");
    expect(listing.status).toBe(200);
    // Gzipped: workerd tells the handler the client accepts gzip, whatever it sent.
    expect(listing.headers["content-encoding"]).toBe("gzip");
    expect(listedEntries(gunzipSync(listing.body).toString()).map((entry) => entry.label)).toEqual([
      "deep/",
      "notes.txt",
      "report.pdf",
    ]);
  });

  it("serves a range of an object with the validators a download can resume by", async () => {
    const whole = await get("/files/report.pdf");
    expect([whole.status, whole.headers["content-type"], whole.headers["last-modified"]]).toEqual([
      200,
      "application/pdf",
      "Fri, 02 Jan 2026 03:04:05 GMT",
    ]);
    const part = await get("/files/report.pdf", { Range: "bytes=50000-50009", "If-Range": whole.headers.etag ?? "" });
    expect(part.status).toBe(206);
    expect(part.headers["content-range"]).toBe("bytes 50000-50009/100000");
    expect([...part.body]).toEqual([...patterned(100_000).slice(50_000, 50_010)]);
    expect((await get("/files/report.pdf", { "If-None-Match": whole.headers.etag ?? "" })).status).toBe(304);
  });

  it("redirects a folder to its slash form, and answers a missing key with the bucket's 404.html", async () => {
    expect((await get("/files")).headers.location).toBe("/files/");
    const missing = await get("/files/nope.txt");
    expect([missing.status, missing.body.toString()]).toEqual([404, "<h1>lost</h1>"]);
  });
});
