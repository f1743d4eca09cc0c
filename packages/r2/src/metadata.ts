/**
 * An R2 object's metadata as the core's `FileStat`.
 *
 * @module
 */
import type { FileStat } from "@simplehttp/core";
import type { R2ObjectLike } from "./binding.js";

/**
 * rclone keeps a file's own modification time as user metadata `mtime` (S3 `x-amz-meta-mtime`, which
 * R2 exposes as `customMetadata.mtime`): seconds since the epoch as a decimal, nine fraction digits
 * (rclone's backend/s3 writes `swift.TimeToFloatString`). Parsed as text, so no float rounding
 * moves it by a millisecond; anything else (negative, exponent, garbage) is ignored.
 *
 * @example
 * ```ts
 * rcloneMtime("1767323045.123456789"); // 1767323045123
 * rcloneMtime("1767323045");           // 1767323045000
 * rcloneMtime("yesterday");            // undefined
 * ```
 */
export function rcloneMtime(value: string | undefined): number | undefined {
  const match = /^\s*(\d{1,13})(?:\.(\d*))?\s*$/.exec(value ?? "");
  if (!match) return undefined;
  const [, seconds = "", fraction = ""] = match;
  return Number(seconds) * 1000 + Number(fraction.padEnd(3, "0").slice(0, 3));
}

/**
 * A file's stat: R2's strong, quoted `httpEtag` as the ETag; rclone's `mtime` as the time when the
 * object has one, else the upload date (a store has no other); the stored type, coding and
 * cache policy, which the core prefers to its own guesses.
 */
export function statOf(object: R2ObjectLike): FileStat {
  const http = object.httpMetadata ?? {};
  return {
    kind: "file",
    size: object.size,
    mtimeMs: rcloneMtime(object.customMetadata?.mtime) ?? object.uploaded.getTime(),
    etag: object.httpEtag,
    contentType: http.contentType,
    contentEncoding: http.contentEncoding,
    cacheControl: http.cacheControl,
  };
}

/** A prefix: it has no size, time or tag of its own. */
export const DIRECTORY: FileStat = Object.freeze({ kind: "directory", size: 0 });
