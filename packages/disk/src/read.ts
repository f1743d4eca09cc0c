/**
 * Positional reads of an open descriptor: the small bodies both adapters read in one synchronous
 * call (see open.ts for why synchronous), and the reads of Node's streamed ones.
 *
 * @module
 */
import { closeSync, readSync } from "node:fs";
import { type ByteRange, type ReadAt, readFully } from "@simplehttp/core";

/**
 * Synchronous positional reads of `fd` (pread: no shared file offset is used or moved).
 *
 * @example
 * ```ts
 * const bytes = readFully(new Uint8Array(100), 0, readAt(fd));
 * ```
 */
export function readAt(fd: number): ReadAt {
  return (bytes, offset, length, position) => readSync(fd, bytes, offset, length, position);
}

/**
 * Bytes `start`..`end` (inclusive) of the file open as `fd`, which this closes. A file that
 * ends first (it shrank since its stat) throws `EAGAIN` (see core's readFully).
 *
 * @example
 * ```ts
 * const bytes = readAndClose(openVerified(path, inRoot).fd, { start: 0, end: 99 });
 * ```
 */
export function readAndClose(fd: number, { start, end }: ByteRange): Uint8Array<ArrayBuffer> {
  try {
    return readFully(new Uint8Array(end - start + 1), start, readAt(fd));
  } finally {
    closeSync(fd);
  }
}
