/**
 * s3FileSystem in workerd, reading moto over the network: an object stored gzipped goes out as
 * stored. workerd's fetch decodes such a body unless told `encodeResponseBody: "manual"`, which
 * s3FileSystem says on every request (moto ignores response-content-encoding, so only that
 * switch keeps the bytes here).
 */
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket, putObjects, rcloneMtime } from "../../../test/support/moto-seed.ts";
import { startWorkerWithBindings } from "../../../test/support/moto-workerd.ts";
import { rawGet } from "../../../test/support/raw-http.ts";
import type { RunningWorker } from "../../../test/support/workerd.ts";

const BUCKET = "in-workerd";
const TEXT = "stored compressed, sent as stored\n".repeat(10);

let moto: Moto;
let worker: RunningWorker;
let gzipped: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto.endpoint, BUCKET);
  gzipped = new Uint8Array(
    await new Response(new Blob([TEXT]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
  await putObjects(moto.endpoint, BUCKET, {
    "app.js": {
      body: gzipped,
      headers: {
        "content-type": "text/javascript",
        "content-encoding": "gzip",
        ...rcloneMtime(Date.UTC(2025, 0, 2, 3, 4, 5)),
      },
    },
  });
  worker = await startWorkerWithBindings("test/conformance/s3-worker.ts", {
    S3_ENDPOINT: moto.endpoint,
    S3_BUCKET: BUCKET,
  });
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await moto?.stop();
});

it("sends an object stored with Content-Encoding byte for byte, with its stored length and time", async () => {
  const response = await rawGet(worker.port, "/app.js", { "Accept-Encoding": "gzip" }, { timeoutMs: 10_000 });
  expect(response.status).toBe(200);
  expect(response.headers["content-encoding"]).toBe("gzip");
  expect(response.headers["content-type"]).toBe("text/javascript");
  expect(response.headers["last-modified"]).toBe("Thu, 02 Jan 2025 03:04:05 GMT");
  expect(response.headers["content-length"]).toBe(String(gzipped.byteLength));
  expect(Buffer.compare(response.body, Buffer.from(gzipped))).toBe(0);
  expect(gunzipSync(response.body).toString()).toBe(TEXT);
});
