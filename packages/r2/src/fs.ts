/**
 * `r2FileSystem()`: the core's `FileSystem` over a Workers R2 binding.
 *
 * @module
 */
import {
  type ByteRange,
  DIRECTORY_STAT,
  type FileBody,
  type FileSystem,
  folderPrefix,
  type OpenedFile,
  type RangeHint,
  releaseBody,
  SMALL_READ,
} from "@simplehttp/core";
import type { R2BucketLike, R2WritableBucketLike } from "./binding.js";
import { guarded, guardedWritable } from "./errors.js";
import { keyOf, notFound } from "./keys.js";
import { hasKeysBelow, listFolder } from "./listing.js";
import { statOf } from "./metadata.js";
import { R2_LIMITS } from "./place.js";
import { r2Range, rangeIn } from "./ranges.js";
import { r2Writes } from "./writes.js";

/** Options of {@linkcode r2FileSystem}. */
export interface R2FileSystemOptions {
  /**
   * Serve only the keys under this folder of the bucket: `"sites/www"` serves `sites/www/index.html`
   * at `/index.html`. Slashes around it do not matter.
   * @default "" (the whole bucket)
   * @example { prefix: "sites/www" }
   */
  prefix?: string;
  /**
   * Show rclone's `mtime` in listings, as Last-Modified already does for a file. `list()` then asks
   * for user metadata (`include: ["customMetadata"]`), and R2 answers such pages with fewer keys
   * (Miniflare: 100 instead of 1,000), so a large folder costs up to ten times the list calls.
   * Without it a listing shows each object's upload date.
   * @default false
   * @example { listingMtime: true }
   */
  listingMtime?: boolean;
  /**
   * Let the handler write to the bucket (docs/writes.md): `PUT`, a form upload, `MKCOL`,
   * `DELETE`, `MOVE` and `COPY`, each also needing the handler's `write` option. The binding
   * must then be able to write (an `R2WritableBucketLike`, as the Workers binding is). Off, the
   * filesystem has no `writes` and every write answers 405, whatever the handler allows: a bucket
   * opened to be served is not written by mistake, as a disk is not unless opened writable.
   * @default false
   * @example { writable: true }
   */
  writable?: boolean;
}

/**
 * The objects of an R2 bucket as a filesystem: a key is a file, a key prefix ending in `/` a
 * folder. It has `open()`, so a GET of a file costs one `get`, a 404 a `get` and a one-key
 * `list`, a folder one `list` per page of 1,000 (see the core's fs.ts). A call R2 fails is a 502
 * Bad Gateway (errors.ts). Read-only unless `writable` (writes.ts).
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { r2FileSystem, type R2BucketLike } from "@simplehttp/r2";
 *
 * export default {
 *   fetch(request: Request, env: { BUCKET: R2BucketLike }): Promise<Response> {
 *     return createHandler({ fs: r2FileSystem(env.BUCKET, { prefix: "public" }) })(request);
 *   },
 * };
 * ```
 * @example Receiving files
 * ```ts
 * export default {
 *   fetch: (request: Request, env: { BUCKET: R2WritableBucketLike }) =>
 *     createHandler({ fs: r2FileSystem(env.BUCKET, { writable: true }), write: { upload: true } })(request),
 * };
 * ```
 */
export function r2FileSystem(
  binding: R2WritableBucketLike,
  options: R2FileSystemOptions & { writable: true },
): FileSystem;
export function r2FileSystem(binding: R2BucketLike, options?: R2FileSystemOptions & { writable?: false }): FileSystem;
export function r2FileSystem(
  binding: R2BucketLike | R2WritableBucketLike,
  options: R2FileSystemOptions = {},
): FileSystem {
  const bucket = guarded(binding);
  const prefix = folderPrefix(options.prefix ?? "");
  const listingMtime = options.listingMtime ?? false;
  const folderOf = (path: string): string | null => (path === "" ? prefix : keyOf(prefix, `${path}/`));
  // A key that is not there may still be a folder: one key below it is enough to know.
  const isFolder = async (path: string): Promise<boolean> => {
    const folder = folderOf(path);
    return folder !== null && (await hasKeysBelow(bucket, folder));
  };

  return {
    async stat(path) {
      if (path === "") return DIRECTORY_STAT;
      const key = keyOf(prefix, path);
      if (key === null) return null;
      const object = await bucket.head(key);
      if (object !== null) return statOf(object);
      return (await isFolder(path)) ? DIRECTORY_STAT : null;
    },

    async open(path, hint, filesOnly = false) {
      if (path === "") return filesOnly ? null : { stat: DIRECTORY_STAT, body: null, range: null };
      const key = keyOf(prefix, path);
      if (key === null) return null;
      let object: Awaited<ReturnType<R2BucketLike["get"]>>;
      try {
        object = await bucket.get(key, hint === undefined ? undefined : { range: r2Range(hint) });
      } catch (error) {
        if (hint === undefined) throw error;
        return refusedRange(bucket, key, hint, error);
      }
      if (object === null)
        return !filesOnly && (await isFolder(path)) ? { stat: DIRECTORY_STAT, body: null, range: null } : null;
      const stat = statOf(object);
      if (hint === undefined) return { stat, body: object.body, range: null };
      const range = rangeIn(hint, object.size);
      if (range === null) {
        // A store that answered a range it cannot satisfy sent bytes nobody asked for.
        releaseBody(object.body);
        return { stat, body: null, range: null };
      }
      return { stat, body: object.body, range };
    },

    async read(path, range: ByteRange): Promise<FileBody> {
      const key = keyOf(prefix, path);
      const object =
        key === null
          ? null
          : await bucket.get(key, { range: { offset: range.start, length: range.end - range.start + 1 } });
      if (object === null) throw notFound(path);
      // Replaced by a shorter object since its stat: R2 would clamp, and the body would be shorter
      // than the Content-Length already decided. EAGAIN is a 503 with Retry-After (core errors.ts).
      if (object.size <= range.end) {
        releaseBody(object.body);
        throw Object.assign(new Error(`${path}: shorter than its stat`), { code: "EAGAIN" });
      }
      // Small reads as bytes: the core joins byte parts of a multi-range answer into one Blob, whose
      // length workerd sends as Content-Length; a stream part would make the answer chunked.
      if (range.end - range.start < SMALL_READ) return new Uint8Array(await object.arrayBuffer());
      return object.body;
    },

    async readDir(path) {
      const folder = folderOf(path);
      const entries = folder === null ? null : await listFolder(bucket, folder, listingMtime);
      // No key below: the folder does not exist (the handler answers 404).
      if (entries === null) throw notFound(path);
      return entries;
    },

    ...(options.writable && { writes: r2Writes({ bucket: writableOf(binding), prefix, limits: R2_LIMITS }) }),
  };
}

/** The binding's writes, guarded; a TypeError naming what is missing when it cannot write. */
function writableOf(binding: R2BucketLike | R2WritableBucketLike): R2WritableBucketLike {
  const missing = (["put", "delete", "createMultipartUpload"] as const).filter(
    (call) => typeof (binding as Partial<R2WritableBucketLike>)[call] !== "function",
  );
  if (missing.length > 0)
    throw new TypeError(`r2FileSystem: writable needs a binding that can write (it has no ${missing.join(", ")})`);
  return guardedWritable(binding as R2WritableBucketLike);
}

/**
 * R2 threw for a ranged get. When the range cannot be satisfied (an offset at or past the end,
 * any range of an empty object), the object's metadata alone is the answer: the core answers a
 * 416, or an empty 200, from its size. Anything else was another failure, and is thrown.
 */
async function refusedRange(
  bucket: R2BucketLike,
  key: string,
  hint: RangeHint,
  error: unknown,
): Promise<OpenedFile | null> {
  const object = await bucket.head(key);
  if (object === null) return null;
  if (rangeIn(hint, object.size) !== null) throw error;
  return { stat: statOf(object), body: null, range: null };
}
