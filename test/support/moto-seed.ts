/**
 * Putting objects into a test bucket (moto), as an uploader such as rclone would: the conformance
 * fixture with rclone's `x-amz-meta-mtime`, or any keys a test needs.
 */

import { AwsClient } from "aws4fetch";
import { fixtureFiles, gzipText, MTIME } from "../conformance/fixture.ts";
import { MOTO_CREDENTIALS, MOTO_REGION } from "./moto.ts";

/** One object to put: its bytes and the headers stored with it (`x-amz-meta-*`, Content-Type, …). */
export interface SeedObject {
  body: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

/**
 * What S3 stores for an upload that names no type. The core then guesses from the name, as it does
 * on a disk (a string body would otherwise be stored as fetch's `text/plain;charset=UTF-8`).
 */
const GENERIC_TYPE = "binary/octet-stream";

const encoder = new TextEncoder();

async function client(): Promise<AwsClient> {
  return new AwsClient({ ...MOTO_CREDENTIALS, region: MOTO_REGION, service: "s3", retries: 0 });
}

/** The URL of `key` in `bucket`, each segment encoded (RFC 3986). */
export function objectUrl(endpoint: string, bucket: string, key = ""): string {
  const encoded = key
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join("/");
  return `${endpoint}/${bucket}/${encoded}`;
}

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  await response.body?.cancel();
}

/** Creates `bucket` (moto wants at least three characters). */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  await expectOk(
    await (await client()).fetch(objectUrl(endpoint, bucket), { method: "PUT" }),
    `create bucket ${bucket}`,
  );
}

/** Puts every object of `objects` (key → object), a few at a time. */
export async function putObjects(endpoint: string, bucket: string, objects: Record<string, SeedObject>): Promise<void> {
  const aws = await client();
  const queue = Object.entries(objects);
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [key, { body, headers = {} }] = next;
      const bytes = typeof body === "string" ? encoder.encode(body) : body;
      const response = await aws.fetch(objectUrl(endpoint, bucket, key), {
        method: "PUT",
        body: bytes,
        headers: { "content-type": GENERIC_TYPE, ...headers },
      });
      await expectOk(response, `put ${key}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Deletes `key` from `bucket`. */
export async function deleteObject(endpoint: string, bucket: string, key: string): Promise<void> {
  await expectOk(await (await client()).fetch(objectUrl(endpoint, bucket, key), { method: "DELETE" }), `delete ${key}`);
}

/** rclone's metadata for a file modified at `ms`: seconds since the epoch, as a decimal. */
export function rcloneMtime(ms: number): Record<string, string> {
  return { "x-amz-meta-mtime": String(ms / 1000) };
}

/**
 * The conformance fixture as objects, each with the fixture's MTIME as rclone stores it (so
 * Last-Modified is the same as on a disk). What a bucket cannot hold is left out: empty
 * directories (a folder is only a prefix with keys below) and names that are not UTF-8 (keys
 * are UTF-8; the fixture writes those bytes as lone surrogates).
 */
export async function fixtureObjects(): Promise<Record<string, SeedObject>> {
  const objects: Record<string, SeedObject> = {};
  for (const [path, content] of Object.entries(fixtureFiles(await gzipText()))) {
    if (path.endsWith("/") || !path.isWellFormed()) continue;
    objects[path] = { body: content, headers: rcloneMtime(MTIME) };
  }
  return objects;
}

/** Creates `bucket` and puts the conformance fixture in it. */
export async function seedFixture(endpoint: string, bucket: string): Promise<void> {
  await createBucket(endpoint, bucket);
  await putObjects(endpoint, bucket, await fixtureObjects());
}
