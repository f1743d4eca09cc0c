/**
 * What the core knows of a path without reading it: the metadata every filesystem gives, for reads
 * (file-system.ts) and writes (writes.ts) alike.
 *
 * @module
 */

/** What kind of entry a path names. Anything but a regular file or a directory is `"other"`. */
export type FileKind = "file" | "directory" | "other";

/**
 * The metadata the core needs to answer without reading a file: length, validators, listing rows.
 * A disk gives kind, size and time; object storage may know more (a content hash, a stored type)
 * and less (a prefix has no time; Deno Deploy's `stat().mtime` is null).
 */
export interface FileStat {
  kind: FileKind;
  /** Size in bytes (meaningful for files). */
  size: number;
  /**
   * Last modification time, in milliseconds since the epoch; `undefined` when unknown. Then the
   * answer has no `Last-Modified`, and date preconditions are ignored (RFC 9110 §13.1.3).
   */
  mtimeMs?: number;
  /**
   * A strong entity tag the store keeps for this content (an S3 or R2 ETag), quoted: used in place
   * of the one made from time and size. Without either, the answer has no `ETag`.
   */
  etag?: string;
  /** A `Content-Type` stored with the object, used in place of the guess from the extension. */
  contentType?: string;
  /** A `Content-Encoding` stored with the object (it was uploaded compressed): sent as it is. */
  contentEncoding?: string;
  /** A `Cache-Control` stored with the object, used unless the handler sets one. */
  cacheControl?: string;
}
