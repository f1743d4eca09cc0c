/**
 * What the writes of one bucket share: the bucket and its prefix, the sizes of uploads, and where
 * a write may go. A bucket has no folders, only keys: a folder exists when it is the served root
 * or some key lies below it (a `dir/` marker, or any object), which is what a listing shows.
 *
 * @module
 */
import type { R2ObjectLike, R2WritableBucketLike } from "./binding.js";
import { writeError } from "./errors.js";
import { keyOf } from "./keys.js";
import { hasKeysBelow } from "./listing.js";

const MIB = 2 ** 20;

/** The sizes uploads and copies are cut at. */
export interface R2Limits {
  /**
   * A body up to this size is one `put()`; past it, a multipart upload of parts this size (or
   * larger, for a cap 10,000 of them would not hold), one held in memory at a time.
   */
  partSize: number;
  /** The most parts of one upload (R2's limit). */
  maxParts: number;
  /** An object up to this size is copied by one `put()` of its body; past it, by parts. */
  singlePut: number;
  /** The part size of a copy past `singlePut`, each part a ranged `get()` streamed into `uploadPart()`. */
  copyPartSize: number;
}

/**
 * R2's sizes: 8 MiB parts (above R2's 5 MiB least part; small enough to hold one per upload in a
 * Worker's 128 MB), and one `put()` up to 4.995 GiB, the most R2 takes in one
 * (https://developers.cloudflare.com/r2/platform/limits/).
 */
export const R2_LIMITS: R2Limits = {
  partSize: 8 * MIB,
  maxParts: 10_000,
  singlePut: 5 * 1024 * MIB - 5 * MIB,
  copyPartSize: 512 * MIB,
};

/** One bucket, as its writes see it. */
export interface R2Target {
  bucket: R2WritableBucketLike;
  /** The served folder's prefix: `""` or ending in `/`. */
  prefix: string;
  limits: R2Limits;
}

/** The key for `path`, or an error: a name that is not UTF-8 (`EILSEQ`), or one too long (`ENAMETOOLONG`). */
export function writableKey(target: R2Target, path: string, marker = false): string {
  if (!path.isWellFormed()) throw writeError("EILSEQ", `${path} cannot be a key: an R2 key is UTF-8`);
  const key = keyOf(target.prefix, marker ? `${path}/` : path);
  if (key === null) throw writeError("ENAMETOOLONG", `the key of ${path} is longer than R2's 1,024 bytes`);
  return marker ? key.slice(0, -1) : key;
}

/** Whether `path` is a folder: the root, or a path some key lies below. */
export function isFolder(target: R2Target, path: string): Promise<boolean> {
  return path === "" ? Promise.resolve(true) : hasKeysBelow(target.bucket, `${target.prefix}${path}/`);
}

/** The object at `path`, or null (its key as {@link writableKey} gives it). */
export function headOf(target: R2Target, path: string): Promise<R2ObjectLike | null> {
  return target.bucket.head(writableKey(target, path));
}

/** The folders `path` lies in, outermost first, the served root left out: `a/b/c` → `a`, `a/b`. */
function ancestorsOf(path: string): string[] {
  const segments = path.split("/").slice(0, -1);
  return segments.map((_, i) => segments.slice(0, i + 1).join("/"));
}

/**
 * Why nothing can be made at `path` for want of its folder, or null: `ENOENT` when its parent is
 * no folder, `ENOTDIR` when a file stands there. With `parents`, missing folders are no refusal
 * (a key below them makes them), but a file in their place is.
 */
export async function placeRefusal(target: R2Target, path: string, parents: boolean): Promise<string | null> {
  const ancestors = ancestorsOf(path);
  const parent = ancestors.at(-1);
  if (parent === undefined) return null;
  if (!parents) {
    if (await isFolder(target, parent)) return null;
    return (await headOf(target, parent)) === null ? "ENOENT" : "ENOTDIR";
  }
  const blocked = await Promise.all(ancestors.map((ancestor) => fileInTheWay(target, ancestor)));
  return blocked.includes(true) ? "ENOTDIR" : null;
}

/** Whether a file, and no folder, has the name `path`: a bucket may hold both, and then the folder is there. */
async function fileInTheWay(target: R2Target, path: string): Promise<boolean> {
  if ((await headOf(target, path)) === null) return false;
  return !(await isFolder(target, path));
}

/** Every object under `prefix`, at any depth, a page (up to 1,000) at a time. */
export async function* objectsUnder(target: R2Target, prefix: string): AsyncGenerator<R2ObjectLike[]> {
  let cursor: string | undefined;
  do {
    const page = await target.bucket.list({ prefix, cursor, limit: 1000 });
    yield page.objects;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor !== undefined);
}

/** Deletes every object under `prefix`, 1,000 keys a call (the most `delete()` takes). */
export async function deleteTree(target: R2Target, prefix: string): Promise<void> {
  for await (const objects of objectsUnder(target, prefix)) {
    if (objects.length > 0) await target.bucket.delete(objects.map((object) => object.key));
  }
}
