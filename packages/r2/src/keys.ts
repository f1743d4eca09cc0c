/**
 * The core's paths as R2 keys: the path itself under the prefix, escaped in no way. (R2 compares
 * keys NFC-normalized, so `é` written either way names one object:
 * https://developers.cloudflare.com/r2/reference/unicode-interoperability/.)
 *
 * @module
 */

// R2 keys are at most 1,024 bytes of UTF-8; a longer one makes head() throw (10020) rather than
// answer null (https://developers.cloudflare.com/r2/reference/limits/).
const MAX_KEY_BYTES = 1024;
const encoder = new TextEncoder();

/**
 * The key for `path` under `prefix`, or `null` when no R2 key can have that name: the core writes a
 * byte that is not UTF-8 (a Linux file name) as a lone surrogate, which UTF-8 keys cannot hold, and
 * a key has at most 1,024 bytes. Such a path names nothing.
 */
export function keyOf(prefix: string, path: string): string | null {
  const key = prefix + path;
  if (!key.isWellFormed()) return null;
  // Three bytes per UTF-16 unit at most: only a long key needs encoding to be measured.
  if (key.length * 3 > MAX_KEY_BYTES && encoder.encode(key).byteLength > MAX_KEY_BYTES) return null;
  return key;
}

/** An error the core maps to 404 (errors.ts), as a disk's would be. */
export function notFound(what: string): Error {
  return Object.assign(new Error(`${what}: no such key or prefix`), { code: "ENOENT" });
}
