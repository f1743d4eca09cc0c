/**
 * What every object-storage adapter (R2, S3) needs alike: a bucket has no folders, no file times of
 * its own and no names a disk would refuse, so each adapter makes them up the same way here.
 *
 * @module
 */
import type { FileStat } from "./file-system.js";

/**
 * The stat of a folder, which in a bucket is only a key prefix: it has no size, time or tag of its
 * own. Frozen, so one object can stand for every folder.
 *
 * @example
 * ```ts
 * const stat = async (path: string) => (path === "" ? DIRECTORY_STAT : lookUp(path));
 * ```
 */
export const DIRECTORY_STAT: FileStat = Object.freeze({ kind: "directory", size: 0 });

/**
 * Reads up to this many bytes are answered as bytes, not as a stream (as Node's adapter does): a
 * runtime sends them in one write, and the core joins byte parts of a multi-range answer into one
 * Blob, whose length workerd sends as Content-Length where a stream part would go chunked.
 *
 * @example
 * ```ts
 * if (range.end - range.start + 1 <= SMALL_READ) return new Uint8Array(await response.arrayBuffer());
 * ```
 */
export const SMALL_READ = 256 * 1024;

/**
 * rclone keeps a file's own modification time as user metadata `mtime` (S3 `x-amz-meta-mtime`, which
 * R2 exposes as `customMetadata.mtime`): seconds since the epoch as a decimal, nine fraction digits
 * (rclone's backend/s3 writes `swift.TimeToFloatString`). Parsed as text, so no float rounding
 * moves it by a millisecond (`1.005` is 1005, where `1.005 * 1000` is 1004.99…); anything else
 * (negative, exponent, garbage) is ignored, and the store's own upload time stands instead.
 *
 * @example
 * ```ts
 * rcloneMtime("1767323045.123456789"); // 1767323045123
 * rcloneMtime("1767323045");           // 1767323045000
 * rcloneMtime("yesterday");            // undefined
 * rcloneMtime(null);                   // undefined (a header that is not there)
 * ```
 */
export function rcloneMtime(value: string | null | undefined): number | undefined {
  const match = /^\s*(\d{1,13})(?:\.(\d*))?\s*$/.exec(value ?? "");
  if (!match) return undefined;
  const [, seconds = "", fraction = ""] = match;
  return Number(seconds) * 1000 + Number(fraction.padEnd(3, "0").slice(0, 3));
}

/**
 * `prefix` as a folder of keys: no leading or trailing slash in, one trailing slash out, `""` for
 * the whole bucket, so that the key of a path is the prefix and the path joined as they are.
 *
 * @example
 * ```ts
 * folderPrefix("/sites/www/"); // "sites/www/"
 * folderPrefix("");            // ""
 * ```
 */
export function folderPrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : `${trimmed}/`;
}

/**
 * Whether a name found in a listing can be an entry: a key may hold an empty segment or a dot
 * segment (`a//b`, `a/../b`), but no request path can name one (the core refuses them), so a row
 * for it would only lead to a 404.
 *
 * @example
 * ```ts
 * isEntryName("a.txt"); // true
 * isEntryName("..");    // false
 * ```
 */
export function isEntryName(name: string): boolean {
  return name !== "" && name !== "." && name !== "..";
}

/**
 * A time in ms as rclone writes `mtime`, the inverse of {@link rcloneMtime}: seconds since the
 * epoch, a dot, then the milliseconds; undefined for a time before 1970, which rclone's reader
 * and `rcloneMtime` do not take.
 *
 * @example
 * ```ts
 * mtimeSeconds(1735787045123); // "1735787045.123"
 * ```
 */
export function mtimeSeconds(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const whole = Math.floor(ms);
  return `${Math.floor(whole / 1000)}.${String(whole % 1000).padStart(3, "0")}`;
}
