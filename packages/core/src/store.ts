/**
 * What every object-storage adapter (R2, S3) needs alike: a bucket has no folders, no file times of
 * its own and no names a disk would refuse, so each adapter makes them up the same way here.
 *
 * @module
 */

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
