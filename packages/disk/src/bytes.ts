/**
 * Bytes into a file: a body poured into a descriptor in order, each write awaited before the next
 * chunk is read (backpressure: a fast client waits for the disk, and memory holds one chunk), all
 * through libuv's thread pool, so a large upload never holds the event loop. Unlike the
 * synchronous metadata calls (open.ts), a write or an fsync may wait on the disk for a long time.
 *
 * @module
 */
import { close, constants, fsync, futimes, open, read, write } from "node:fs";
import { promisify } from "node:util";
import { failure } from "./errors.js";

const writeAsync = promisify(write);
const readAsync = promisify(read);
const openAsync = promisify(open);
const closeAsync = promisify(close);
/** fsync(2) of `fd`, in the thread pool. */
export const fsyncAsync = promisify(fsync);
/** futimes(2) of `fd` (times in seconds), in the thread pool. */
export const futimesAsync = promisify(futimes);

// Reads of a file copied: big enough that a large file is few round trips, small enough for memory.
const COPY_CHUNK = 1024 * 1024;

/** The next chunk of a body, or null at its end. */
export type Chunks = () => Promise<Uint8Array | null>;

/** The limits on what is poured. */
export interface PourLimits {
  /** Past this many bytes: `EFBIG`. */
  maxBytes: number;
  /** The length announced: a body longer or shorter is `EBADMSG`. */
  length?: number;
}

/**
 * Writes every chunk of `next` to `fd` from its start, in order, within `limits`; a chunk past a
 * limit is refused before it is written.
 *
 * @returns the number of bytes written
 * @example
 * ```ts
 * await pour(fd, chunksOf(body.getReader()), { maxBytes: 1 << 30 });
 * ```
 */
export async function pour(fd: number, next: Chunks, { maxBytes, length }: PourLimits): Promise<number> {
  let size = 0;
  for (let chunk = await next(); chunk !== null; chunk = await next()) {
    const end = size + chunk.byteLength;
    if (end > maxBytes) throw failure("EFBIG", `more than ${maxBytes} bytes`);
    if (length !== undefined && end > length) throw failure("EBADMSG", `a body longer than its ${length} bytes`);
    // write(2) may write less than asked (a signal, a quota): the rest follows.
    for (let done = 0; done < chunk.byteLength; ) {
      const { bytesWritten } = await writeAsync(fd, chunk, done, chunk.byteLength - done, size + done);
      done += bytesWritten;
    }
    size = end;
  }
  if (length !== undefined && size !== length) throw failure("EBADMSG", `the body held ${size} of ${length} bytes`);
  return size;
}

/**
 * The chunks of a stream's reader. On a failure of the write (a cap, a full disk) the caller
 * cancels it: see {@link cancelQuietly}.
 *
 * @example
 * ```ts
 * const reader = body.getReader();
 * await pour(fd, chunksOf(reader), limits).catch((error) => cancelQuietly(reader, error));
 * ```
 */
export function chunksOf(reader: ReadableStreamDefaultReader<Uint8Array>): Chunks {
  return async () => {
    const { done, value } = await reader.read();
    return done ? null : value;
  };
}

/** Cancels `reader`'s stream (the client's upload is not wanted any more), ignoring a failure. */
export async function cancelQuietly(reader: ReadableStreamDefaultReader<Uint8Array>, reason: unknown): Promise<void> {
  await reader.cancel(reason).catch(() => {});
}

/**
 * The bytes of the file open as `fd`, from its start to its end, one megabyte at a time.
 *
 * @example
 * ```ts
 * await pour(target, chunksOfFile(source), { maxBytes: Number.POSITIVE_INFINITY });
 * ```
 */
export function chunksOfFile(fd: number): Chunks {
  let position = 0;
  return async () => {
    const { bytesRead, buffer } = await readAsync(fd, Buffer.allocUnsafe(COPY_CHUNK), 0, COPY_CHUNK, position);
    position += bytesRead;
    return bytesRead === 0 ? null : buffer.subarray(0, bytesRead);
  };
}

/**
 * Flushes a folder's entries to the disk (fsync of the folder itself), so a rename into it
 * survives a power cut. Best effort: the write is done by then, and some filesystems refuse an
 * fsync of a folder (EINVAL), which changes nothing for the reader.
 *
 * @example
 * ```ts
 * renameSync(temp, final);
 * await syncFolder("/srv/www/docs");
 * ```
 */
export async function syncFolder(dir: string | Buffer): Promise<void> {
  let fd: number;
  try {
    fd = await openAsync(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  } catch {
    return;
  }
  await fsyncAsync(fd).catch(() => {});
  await closeAsync(fd).catch(() => {});
}

/** Closes `fd` in the thread pool. */
export const closeFd = (fd: number): Promise<void> => closeAsync(fd);
