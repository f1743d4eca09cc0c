/// <reference types="node" />
/**
 * Bytes into a file, as @simplehttp/disk's bytes.ts pours them (in order, each write awaited
 * before the next chunk is read, off the main thread), on the node:fs descriptor a temporary file
 * is created as (temp.ts).
 *
 * @module
 */
import { fsync, futimes, read, write } from "node:fs";
import { promisify } from "node:util";
import { failure } from "./errors.ts";

const writeAsync = promisify(write);
const readAsync = promisify(read);
/** fsync(2) of `fd`, off the main thread. */
export const fsyncAsync = promisify(fsync);
/** futimes(2) of `fd` (times in seconds), off the main thread. */
export const futimesAsync = promisify(futimes);

const COPY_CHUNK = 1024 * 1024;

/** The next chunk of a body, or null at its end. */
export type Chunks = () => Promise<Uint8Array | null>;

/** The limits on what is poured: past `maxBytes`, `EFBIG`; longer or shorter than `length`, `EBADMSG`. */
export interface PourLimits {
  maxBytes: number;
  length?: number;
}

/**
 * Writes every chunk of `next` to `fd` from its start, in order, within `limits`; a chunk past a
 * limit is refused before it is written.
 *
 * @example await pour(fd, chunksOf(body.getReader()), { maxBytes: 1 << 30 });
 */
export async function pour(fd: number, next: Chunks, { maxBytes, length }: PourLimits): Promise<number> {
  let size = 0;
  for (let chunk = await next(); chunk !== null; chunk = await next()) {
    const end = size + chunk.byteLength;
    if (end > maxBytes) throw failure("EFBIG", `more than ${maxBytes} bytes`);
    if (length !== undefined && end > length) throw failure("EBADMSG", `a body longer than its ${length} bytes`);
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
 * The chunks of a stream's reader.
 *
 * @example await pour(fd, chunksOf(body.getReader()), limits);
 */
export function chunksOf(reader: ReadableStreamDefaultReader<Uint8Array>): Chunks {
  return async () => {
    const { done, value } = await reader.read();
    return done ? null : value;
  };
}

/** Cancels `reader`'s stream (the upload is not wanted any more), ignoring a failure. */
export async function cancelQuietly(reader: ReadableStreamDefaultReader<Uint8Array>, reason: unknown): Promise<void> {
  await reader.cancel(reason).catch(() => {});
}

/**
 * The bytes of the file open as `fd`, from its start to its end, one megabyte at a time.
 *
 * @example await pour(target, chunksOfFile(source), { maxBytes: Number.POSITIVE_INFINITY });
 */
export function chunksOfFile(fd: number): Chunks {
  let position = 0;
  return async () => {
    const { bytesRead, buffer } = await readAsync(fd, new Uint8Array(COPY_CHUNK), 0, COPY_CHUNK, position);
    position += bytesRead;
    return bytesRead === 0 ? null : buffer.subarray(0, bytesRead);
  };
}

/**
 * Flushes a folder's entries to the disk, so a rename into it survives a power cut. Best effort:
 * the write is done by then, and some filesystems refuse an fsync of a folder.
 *
 * @example await syncFolder("/srv/www/docs");
 */
export async function syncFolder(dir: string): Promise<void> {
  let folder: Deno.FsFile;
  try {
    folder = await Deno.open(dir, { read: true });
  } catch {
    return;
  }
  await folder.sync().catch(() => {});
  folder.close();
}
