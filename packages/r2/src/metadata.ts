/**
 * An R2 object's metadata as the core's `FileStat`.
 *
 * @module
 */
import { type FileStat, rcloneMtime } from "@simplehttp/core";
import type { R2ObjectLike } from "./binding.js";

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
