/**
 * Uploads past one part, on a local moto: a ~110 MiB body streamed from a generator and read back
 * byte for byte, bodies that fail or overrun part-way leaving no object and no upload behind, the
 * conditions checked at the completion, and copies past CopyObject's limit by UploadPartCopy.
 */
import { createHash } from "node:crypto";
import type { FileSystem, PutOptions } from "@simplehttp/core";
import { AwsClient } from "aws4fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOTO_CREDENTIALS, MOTO_REGION, type Moto, startMoto } from "../../../test/support/moto.ts";
import { createBucket, objectUrl } from "../../../test/support/moto-seed.ts";
import { type Fetch, s3FileSystem } from "../src/index.js";
import { resolveOptions } from "../src/options.js";
import { sender } from "../src/request.js";
import { S3_LIMITS } from "../src/target.js";
import { s3Writes } from "../src/writes.js";

const MIB = 2 ** 20;
const BUCKET = "multipart";
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  await createBucket(moto.endpoint, BUCKET);
}, 30_000);
afterAll(() => moto?.stop());

/** The bucket, writable, its requests seen by `onFetch` (method, query, body size) on their way. */
function bucket(onFetch: (method: string, query: string, bytes: number) => void = () => {}): FileSystem {
  const fetch: Fetch = (input, init) => {
    const body = init.body instanceof Uint8Array ? init.body.byteLength : 0;
    onFetch(init.method ?? "GET", new URL(input).search, body);
    return globalThis.fetch(input, init);
  };
  const options = { bucket: BUCKET, endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
  return s3FileSystem({ ...options, fetch, writable: true });
}

/**
 * `size` bytes made as they are pulled, 1 MiB a chunk, from a generator (never held whole),
 * hashed on the way; with `failAt`, the stream errors once that many bytes were given.
 */
function generated(size: number, failAt = Number.POSITIVE_INFINITY) {
  const hash = createHash("sha256");
  const state = { pulled: 0, digest: "" };
  let seed = 0x9e3779b9;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= failAt) return controller.error(new Error("client gone mid-upload"));
      if (state.pulled >= size) {
        state.digest = hash.digest("hex");
        return controller.close();
      }
      const chunk = new Uint8Array(Math.min(MIB, size - state.pulled));
      const words = new Uint32Array(chunk.buffer, 0, chunk.byteLength >>> 2);
      for (let i = 0; i < words.length; i++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        words[i] = seed >>> 0;
      }
      hash.update(chunk);
      state.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, state };
}

async function sha256Of(fs: FileSystem, path: string, size: number): Promise<string> {
  const body = await fs.read(path, { start: 0, end: size - 1 });
  if (!(body instanceof ReadableStream)) throw new Error("expected a stream for a large read");
  const hash = createHash("sha256");
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}

/** The uploads moto still holds for the bucket (ListMultipartUploads). */
async function openUploads(): Promise<string[]> {
  const aws = new AwsClient({ ...MOTO_CREDENTIALS, region: MOTO_REGION, service: "s3", retries: 0 });
  const xml = await (await aws.fetch(`${objectUrl(moto.endpoint, BUCKET)}?uploads`)).text();
  if (!xml.includes("ListMultipartUploadsResult")) throw new Error(`not a listing: ${xml}`);
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => match[1] as string);
}

const create = (extra: Partial<PutOptions> = {}): PutOptions => ({
  mode: "create",
  maxBytes: 10 * 1024 * MIB,
  parents: true,
  ...extra,
});

describe("a multipart upload", () => {
  it("stores ~110 MiB streamed from a generator, byte for byte, holding one part at a time", async () => {
    const size = 110 * MIB + 12_345;
    const { body, state } = generated(size);
    const partsSent: number[] = [];
    let heldAtMost = 0;
    const fs = bucket((method, query, bytes) => {
      if (method !== "PUT" || !query.includes("partNumber")) return;
      partsSent.push(bytes);
      // Pulled from the body but not in a part sent: the reader's chunk of look-ahead, and the
      // one the stream's queue pulled ahead of it. Never a second part.
      heldAtMost = Math.max(heldAtMost, state.pulled - partsSent.reduce((sum, n) => sum + n, 0));
    });
    const result = await fs.writes?.put("big/file.bin", body, create());
    expect(result?.stat.size).toBe(size);
    expect(result?.stat.etag).toMatch(/^"[0-9a-f]+-14"$/);
    expect(partsSent).toHaveLength(14);
    expect(partsSent.slice(0, -1).every((bytes) => bytes === S3_LIMITS.partSize)).toBe(true);
    expect(heldAtMost).toBeLessThanOrEqual(2 * MIB);
    expect(await fs.stat("big/file.bin")).toMatchObject({ kind: "file", size, etag: result?.stat.etag });
    expect(await sha256Of(fs, "big/file.bin", size)).toBe(state.digest);
    expect(await openUploads()).toEqual([]);
  }, 120_000);

  it("leaves no object and no upload when the body fails at 60 MiB", async () => {
    const { body } = generated(100 * MIB, 60 * MIB);
    const calls: string[] = [];
    const fs = bucket((method, query) => calls.push(`${method} ${query.replace(/=[^&]*/g, "")}`));
    await expect(fs.writes?.put("failed.bin", body, create())).rejects.toThrow("client gone mid-upload");
    expect(calls).toContain("POST ?uploads");
    expect(calls.at(-1)).toBe("DELETE ?uploadId");
    expect(await fs.stat("failed.bin")).toBeNull();
    expect(await openUploads()).toEqual([]);
  }, 60_000);

  it("leaves nothing when the body runs past the cap (EFBIG) or ends short of its length (EBADMSG)", async () => {
    const fs = bucket();
    const over = generated(30 * MIB);
    await expect(fs.writes?.put("over.bin", over.body, create({ maxBytes: 20 * MIB }))).rejects.toMatchObject({
      code: "EFBIG",
    });
    // Read no further than the cap: its chunk, and the one the stream's queue pulled ahead.
    expect(over.state.pulled).toBeLessThanOrEqual(22 * MIB);
    const short = generated(12 * MIB);
    await expect(fs.writes?.put("short.bin", short.body, create({ length: 20 * MIB }))).rejects.toMatchObject({
      code: "EBADMSG",
    });
    expect(await fs.stat("over.bin")).toBeNull();
    expect(await fs.stat("short.bin")).toBeNull();
    expect(await openUploads()).toEqual([]);
  }, 60_000);
});

describe("conditions at the completion", () => {
  /** A 12 MiB body (two parts) held open after its first part until `release()`. */
  function heldBody() {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 9) await released;
        if (sent === 12) return controller.close();
        controller.enqueue(new Uint8Array(MIB).fill(sent));
        sent++;
      },
    });
    return { body, release, started: () => sent >= 9 };
  }

  async function whileHeld(put: Promise<unknown>, held: ReturnType<typeof heldBody>, meanwhile: () => Promise<void>) {
    while (!held.started()) await new Promise((resolve) => setTimeout(resolve, 10));
    await meanwhile();
    held.release();
    return put;
  }

  it("a create loses to an object stored while it uploaded (If-None-Match: *), and aborts", async () => {
    const fs = bucket();
    const held = heldBody();
    const put = fs.writes?.put("raced.bin", held.body, create()) as Promise<unknown>;
    const raced = whileHeld(put, held, async () => {
      await fs.writes?.put("raced.bin", new Blob(["first"]).stream(), create());
    });
    await expect(raced).rejects.toMatchObject({ code: "EEXIST" });
    expect(await fs.stat("raced.bin")).toMatchObject({ size: 5 });
    expect(await openUploads()).toEqual([]);
  }, 60_000);

  it("a replace of one version loses to one stored meanwhile (ESTALE): moto ignores If-Match there", async () => {
    const fs = bucket();
    const first = await fs.writes?.put("versioned.bin", new Blob(["v1"]).stream(), create());
    const held = heldBody();
    const options = create({ mode: "replace", expected: first?.stat });
    const put = fs.writes?.put("versioned.bin", held.body, options) as Promise<unknown>;
    const raced = whileHeld(put, held, async () => {
      await fs.writes?.put("versioned.bin", new Blob(["v2!"]).stream(), create({ mode: "replace" }));
    });
    await expect(raced).rejects.toMatchObject({ code: "ESTALE" });
    expect(await fs.stat("versioned.bin")).toMatchObject({ size: 3 });
    expect(await openUploads()).toEqual([]);
  }, 60_000);
});

describe("a copy past CopyObject's limit", () => {
  it("copies by UploadPartCopy ranges, keeping the bytes, the type and rclone's mtime", async () => {
    const resolved = resolveOptions({
      bucket: BUCKET,
      endpoint: moto.endpoint,
      region: MOTO_REGION,
      credentials: MOTO_CREDENTIALS,
    });
    const calls: string[] = [];
    const send = sender({
      ...resolved,
      fetch: (input, init) => {
        calls.push(`${init.method} ${new URL(input).search.replace(/=[^&]*/g, "")}`);
        return fetch(input, init);
      },
    });
    const limits = { ...S3_LIMITS, singleCopy: 6 * MIB, copyPartSize: 5 * MIB };
    const writes = s3Writes({ send, bucket: BUCKET, keyOf: (path) => path, limits });
    const size = 12 * MIB + 7;
    const { body, state } = generated(size);
    await writes.put("copy/source.json", body, create({ mtimeMs: Date.UTC(2024, 1, 29) }));
    calls.length = 0;
    await writes.copy("copy/source.json", "copy/target.json", false);
    expect(calls.filter((call) => call === "PUT ?partNumber&uploadId")).toHaveLength(3);
    const fs = bucket();
    expect(await sha256Of(fs, "copy/target.json", size)).toBe(state.digest);
    expect(await fs.stat("copy/target.json")).toMatchObject({
      size,
      contentType: "application/json; charset=utf-8",
      mtimeMs: Date.UTC(2024, 1, 29),
    });
  }, 60_000);
});
