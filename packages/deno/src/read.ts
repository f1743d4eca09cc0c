/// <reference types="node" />
/**
 * Reading a byte range of an open file (a node:fs descriptor, see open.ts) as one buffer or as a
 * stream that owns the descriptor.
 *
 * @module
 */
import { closeSync, fstatSync, readSync } from "node:fs";
import { readFully } from "@simplehttp/core";
import { closeFile, PROC_FD, readAt } from "./open.ts";

// Big enough that a 3 MiB file is a couple of dozen reads, small enough to keep memory flat.
const CHUNK_SIZE = 128 * 1024;

/**
 * The `length` bytes of the file from byte `start`, in one buffer; a file that shrank since it
 * was stat'ed throws `EAGAIN`. Synchronous: for small bodies, which a read or two fills, a round
 * trip to Deno's I/O threads costs more than the read. The caller closes the descriptor.
 *
 * @example try { return readExactly(fd, 0, 100); } finally { closeSync(fd); }
 */
export function readExactly(fd: number, start: number, length: number): Uint8Array<ArrayBuffer> {
  return readFully(new Uint8Array(length), start, (bytes, offset, count, position) =>
    readSync(fd, bytes, offset, count, position),
  );
}

/**
 * The `length` bytes of the file from byte `start` as a stream that owns the descriptor: it is
 * closed when the last byte is read, on a read error, and when the response body is cancelled
 * (the client went away). A cancel during a read closes once that read is done: a descriptor
 * number is reused by the next open, so closing under a pending read could let it read another
 * file.
 *
 * @example return new Response(boundedStream(await openFile(path, null), start, end - start + 1));
 */
export function boundedStream(fd: number, start: number, length: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let position = start;
  const end = start + length;
  let reading = false;
  let cancelled = false;
  let closed = false;
  const finish = (): void => {
    if (!closed) {
      closed = true;
      closeFile(fd);
    }
  };
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      const chunk = new Uint8Array(Math.min(CHUNK_SIZE, end - position));
      let count: number;
      reading = true;
      try {
        count = await readAt(fd, chunk, position);
      } catch (error) {
        finish();
        controller.error(error); // a no-op when the stream was cancelled meanwhile
        return;
      } finally {
        reading = false;
      }
      if (cancelled) return finish();
      position += count;
      // count 0: the file shrank; end early, and the runtime cuts the connection short of Content-Length.
      if (count > 0) controller.enqueue(count === chunk.length ? chunk : chunk.slice(0, count));
      if (count === 0 || position === end) {
        finish();
        controller.close();
      }
    },
    cancel() {
      cancelled = true;
      if (!reading) finish(); // else the read in flight closes it
    },
  });
}

/**
 * Bytes `start`..`end` of `fd` as a `Deno.FsFile`'s own stream when they run to the end of the
 * file, else null (and `fd` stays the caller's). Deno.serve sends such a resource-backed stream in
 * Rust, without a JavaScript chunk per read: under slow clients a JS stream of fresh chunks grows
 * Deno's memory (garbage V8 collects late), where this stays flat (measured:
 * docs/performance.md#measurements-behind-design-choices). The file is
 * reopened through /proc/self/fd (Linux): the very inode `fd` checked, so no path is looked up
 * again and no FIFO can be swapped in (Deno.open would block on one). `fd` is then closed.
 *
 * @example const body = nativeToEnd(fd, 0, size - 1) ?? boundedStream(fd, 0, size);
 */
export function nativeToEnd(fd: number, start: number, end: number): ReadableStream<Uint8Array<ArrayBuffer>> | null {
  if (PROC_FD === null || end !== fstatSync(fd).size - 1) return null;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(PROC_FD + fd);
  } catch {
    return null; // no /proc here after all: the JavaScript stream will do
  }
  closeSync(fd);
  if (start > 0) file.seekSync(start, Deno.SeekMode.Start);
  // The stream closes the file when it ends or is cancelled.
  return file.readable;
}
