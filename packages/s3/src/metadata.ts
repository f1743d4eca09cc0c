/**
 * An object's metadata, from the headers of a HEAD or GET, or from a listing's row.
 *
 * @module
 */
import { type FileStat, rcloneMtime } from "@simplehttp/core";

/**
 * A file's own time, as rclone keeps it: user metadata `mtime` (sent as `x-amz-meta-mtime`),
 * seconds since the epoch as a decimal, down to nanoseconds (`1735787045.123456789`). The upload
 * time S3 keeps as Last-Modified says when the copy was made, not when the file changed.
 */
export const MTIME_HEADER = "x-amz-meta-mtime";

/** A time from `Last-Modified` (an HTTP-date) or a listing's `LastModified` (ISO 8601). */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A stored ETag as a strong entity tag (RFC 9110 §8.8.3), quoted. S3 sends it quoted; a few
 * compatible services forget the quotes. A weak one cannot stand for the bytes (If-Range needs a
 * strong match), so it is dropped.
 */
export function strongETag(value: string | null | undefined): string | undefined {
  if (!value || value.startsWith("W/")) return undefined;
  const tag =
    value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value : `"${value.replace(/"/g, "")}"`;
  // etagc is %x21 / %x23-7E / obs-text: anything else could not go out as a header.
  return /^"[\x21\x23-\x7e\x80-\xff]*"$/.test(tag) ? tag : undefined;
}

/** The stat of an object from the headers of its HEAD or GET; `size` is the whole object's. */
export function statFromHeaders(headers: Headers, size: number): FileStat {
  const stat: FileStat = { kind: "file", size };
  const mtime = rcloneMtime(headers.get(MTIME_HEADER)) ?? parseTime(headers.get("last-modified"));
  if (mtime !== undefined) stat.mtimeMs = mtime;
  const etag = strongETag(headers.get("etag"));
  if (etag !== undefined) stat.etag = etag;
  const type = headers.get("content-type");
  if (type) stat.contentType = type;
  const encoding = storedEncoding(headers);
  if (encoding !== undefined) stat.contentEncoding = encoding;
  const cacheControl = headers.get("cache-control");
  if (cacheControl) stat.cacheControl = cacheControl;
  return stat;
}

/** The `Content-Encoding` the object was stored with; `identity` (RFC 9110 §8.4.1) is none. */
export function storedEncoding(headers: Headers): string | undefined {
  const value = headers.get("content-encoding")?.trim();
  return value && value.toLowerCase() !== "identity" ? value : undefined;
}

/** The whole object's size from `Content-Range: bytes a-b/size` (RFC 9110 §14.4). */
export function contentRange(headers: Headers): { start: number; end: number; size: number } | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(headers.get("content-range") ?? "");
  if (!match) return undefined;
  const [, start, end, size] = match;
  return { start: Number(start), end: Number(end), size: Number(size) };
}

/** `Content-Length` as a number, or undefined. */
export function contentLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}
