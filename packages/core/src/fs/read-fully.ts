/**
 * Filling a buffer from a positional read, for adapters that read small bodies synchronously.
 *
 * @module
 */

/**
 * A positional read: puts up to `length` bytes from file offset `position` at `bytes[offset]`,
 * answers how many (0 at the end).
 */
export type ReadAt = (bytes: Uint8Array, offset: number, length: number, position: number) => number;

/**
 * Fills `bytes` with the file's bytes from `position`. A file that ends first (it shrank since its
 * stat gave the length Content-Length promises) throws an error with code `EAGAIN`, which the
 * handler answers 503 with Retry-After: never a body shorter than announced.
 *
 * @example
 * ```ts
 * const bytes = readFully(new Uint8Array(size), 0, (b, o, l, p) => readSync(fd, b, o, l, p));
 * ```
 */
export function readFully<Bytes extends Uint8Array>(bytes: Bytes, position: number, readAt: ReadAt): Bytes {
  let filled = 0;
  while (filled < bytes.length) {
    const got = readAt(bytes, filled, bytes.length - filled, position + filled);
    if (got === 0) throw Object.assign(new Error("the file shrank while it was read"), { code: "EAGAIN" });
    filled += got;
  }
  return bytes;
}
