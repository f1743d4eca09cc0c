/**
 * What the writes of one bucket share: how to send, where keys are, and the sizes of uploads.
 *
 * @module
 */

import { errorOf, writeError } from "./errors.js";
import { encodeKey, isKey } from "./keys.js";
import { hasKeysUnder } from "./list.js";
import { contentLength, strongETag } from "./metadata.js";
import type { Send } from "./request.js";

const MIB = 2 ** 20;

/** The sizes uploads and copies are cut at. */
export interface WriteLimits {
  /**
   * A body up to this size is one PutObject; past it, a multipart upload of parts this size (or
   * larger, for a cap 10,000 of them would not hold). One part is held in memory at a time.
   */
  partSize: number;
  /** The most parts of one upload (S3's limit). */
  maxParts: number;
  /** An object up to this size is copied by one CopyObject (S3's limit: 5 GiB); past it, by parts. */
  singleCopy: number;
  /** The part size of a copy past `singleCopy` (UploadPartCopy). */
  copyPartSize: number;
}

/**
 * The sizes S3 is written with. 8 MiB parts are the AWS CLI's (`multipart_threshold` and
 * `multipart_chunksize`, "AWS CLI S3 Configuration"): above S3's 5 MiB least part, and small
 * enough to hold one per upload in flight. Copies are made on the store's side, so their parts
 * are larger: fewer calls, no bytes through here.
 */
export const S3_LIMITS: WriteLimits = {
  partSize: 8 * MIB,
  maxParts: 10_000,
  singleCopy: 5 * 1024 * MIB,
  copyPartSize: 512 * MIB,
};

/** One bucket, as its writes see it. */
export interface WriteTarget {
  send: Send;
  /** The bucket's name, for `x-amz-copy-source`. */
  bucket: string;
  /** The key of a path under the served prefix. */
  keyOf(path: string): string;
  limits: WriteLimits;
}

// S3 keys are at most 1,024 bytes of UTF-8 ("Naming Amazon S3 objects"); a folder's marker adds a `/`.
const MAX_KEY_BYTES = 1024;
const encoder = new TextEncoder();

/** The key for `path`, or an error: a name that is not UTF-8 (`EILSEQ`), or one too long (`ENAMETOOLONG`). */
export function writableKey(target: WriteTarget, path: string, marker = false): string {
  if (!isKey(path)) throw writeError("EILSEQ", `${path} cannot be a key: an object key is UTF-8`);
  const key = target.keyOf(path);
  if (encoder.encode(key).byteLength + (marker ? 1 : 0) > MAX_KEY_BYTES)
    throw writeError("ENAMETOOLONG", `the key ${key} is longer than S3's 1,024 bytes`);
  return key;
}

/** An object's size, tag and headers (HEAD), or null when no object has that key. */
export async function headObject(
  target: WriteTarget,
  key: string,
): Promise<{ size: number; etag: string | undefined; headers: Headers } | null> {
  const what = `HEAD ${key}`;
  const response = await target.send({ method: "HEAD", path: encodeKey(key), what });
  if (response.status === 404) return null;
  if (!response.ok) throw await errorOf(response, what);
  const { headers } = response;
  return { size: contentLength(headers) ?? 0, etag: strongETag(headers.get("etag")), headers };
}

/** Whether `path` is a folder: some key starts with its key and a `/` (a marker, or anything below). */
export function isFolder(target: WriteTarget, path: string): Promise<boolean> {
  return path === "" ? Promise.resolve(true) : hasKeysUnder(target.send, `${target.keyOf(path)}/`);
}

/** The folders `path` lies in, outermost first, the served root left out: `a/b/c` → `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const segments = path.split("/").slice(0, -1);
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}

/**
 * Why nothing can be made at `path` for want of its folder, or null: `ENOENT` when its parent
 * does not exist, `ENOTDIR` when a file stands where a folder should. A bucket has no folders,
 * only keys: a folder exists when it is the served root or some key lies below it (a `dir/`
 * marker, or any object), which is what a listing shows. With `parents`, missing folders are no
 * refusal (a key below them makes them), but a file in their place is.
 */
export async function placeRefusal(target: WriteTarget, path: string, parents: boolean): Promise<string | null> {
  const ancestors = ancestorsOf(path);
  const parent = ancestors.at(-1);
  if (parent === undefined) return null;
  if (!parents) {
    if (await isFolder(target, parent)) return null;
    return (await headObject(target, target.keyOf(parent))) === null ? "ENOENT" : "ENOTDIR";
  }
  const blocked = await Promise.all(ancestors.map((ancestor) => fileInTheWay(target, ancestor)));
  return blocked.includes(true) ? "ENOTDIR" : null;
}

/** Whether a file, and no folder, has the name `path`: a bucket may hold both, and then the folder is there. */
async function fileInTheWay(target: WriteTarget, path: string): Promise<boolean> {
  if ((await headObject(target, target.keyOf(path))) === null) return false;
  return !(await isFolder(target, path));
}
