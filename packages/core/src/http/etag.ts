/**
 * Entity tags (RFC 9110 §8.8.3), from metadata only.
 *
 * They are **strong**, like nginx's and Caddy's: a file's tag changes whenever its size or its
 * modification time (to the millisecond) does, and the content encoding is folded in, so each
 * representation has its own. Strong is a deliberate choice: `If-Range` may only use strong
 * comparison (§13.1.5), so with weak tags a client could never resume a download by tag. The
 * cost is that a rewrite keeping the same size within the same millisecond goes unseen; hashing the
 * content would close that gap but reads every file on every request, which is not a trade a
 * file server should make. On-the-fly compressed bodies get a weak tag instead (see compress.ts):
 * their bytes depend on the compressor, not only on the file.
 *
 * @module
 */
import type { FileStat } from "../fs/file-system.js";

/**
 * The strong entity tag of a file's representation: the one its store keeps when it has one (an
 * S3 or R2 ETag, a hash of the content, and better than anything made from metadata), else
 * `"<mtime base36>-<size base36>"` with `-<encoding>` for a content-coded variant; `undefined`
 * when the time is unknown too, since a tag made of the size alone would call two different
 * files of one size the same.
 *
 * @example
 * ```ts
 * fileETag({ kind: "file", size: 1024, mtimeMs: 1767323045678 }); // '"mjwaidke-sg"'
 * fileETag({ kind: "file", size: 300, mtimeMs: 1767323045678 }, "br"); // '"mjwaidke-8c-br"'
 * fileETag({ kind: "file", size: 300, etag: '"9a0364b9e99bb480dd25e1f0284c8555"' }); // the store's
 * ```
 */
export function fileETag(stat: FileStat, encoding?: string): string | undefined {
  if (stat.etag !== undefined) return stat.etag;
  if (stat.mtimeMs === undefined) return undefined;
  const tag = `${Math.floor(stat.mtimeMs).toString(36)}-${stat.size.toString(36)}`;
  return encoding ? `"${tag}-${encoding}"` : `"${tag}"`;
}

/** The weak form of a tag (§8.8.3): same opaque value, only weakly comparable. */
export function weaken(etag: string): string {
  return etag.startsWith("W/") ? etag : `W/${etag}`;
}

/**
 * Splits an `If-Match` / `If-None-Match` field value into entity tags (`*` stays `"*"`). Commas
 * may appear inside a quoted tag, so this scans instead of splitting on `,`.
 */
export function parseETagList(value: string): string[] {
  const tags: string[] = [];
  // §5.6.1.2: empty list elements (", ,") are ignored; anything that is not a tag ends the list.
  const pattern = /[\s,]*(\*|(?:W\/)?"[^"]*")[\s]*(?:,|$)/y;
  while (pattern.lastIndex < value.length) {
    const match = pattern.exec(value);
    if (match === null) break;
    tags.push(match[1] as string);
  }
  return tags;
}

/** Strong comparison (§8.8.3.2): both tags strong and their opaque values identical. */
export function strongMatch(a: string, b: string): boolean {
  return !a.startsWith("W/") && !b.startsWith("W/") && a === b;
}

/** Weak comparison (§8.8.3.2): the opaque values are identical, weak or not. */
export function weakMatch(a: string, b: string): boolean {
  return opaque(a) === opaque(b);
}

function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}
