/**
 * File bodies that are not read yet: a web stream for any consumer, and a faster path for serve().
 *
 * `@hono/node-server` writes a web stream body chunk by chunk through a promise per chunk,
 * allocating every chunk anew: for big files that hop, not the disk, sets the pace, and under
 * many slow clients the garbage sets the memory. So a read gives the core a {@link NodeFileBody},
 * which serve() sends itself (send-file.ts): read whole in one call up to 256 KiB, else in turns
 * from reused buffers. Anywhere else (a handler composed by hand, gzip, multipart) it becomes an
 * ordinary web stream.
 *
 * @module
 */
import { closeSync, read } from "node:fs";
import type { DeferredBody } from "@simplehttp/core";

// The web stream hands each chunk to a consumer that may keep it, so each is a fresh buffer.
const WEB_CHUNK = 64 * 1024;

/**
 * Reads bytes `position`..`end` of a descriptor it owns. `release()` closes the descriptor, but
 * never under a read in flight: the number could be reused by another open meanwhile.
 */
export class FileCursor {
  #reading = false;
  #released = false;
  constructor(
    readonly fd: number,
    public position: number,
    readonly end: number,
  ) {}

  get released(): boolean {
    return this.#released;
  }

  /** Fills `bytes` from the current position: how many were read (0 at an early end of file). */
  read(bytes: Uint8Array, callback: (error: Error | null, got: number) => void): void {
    this.#reading = true;
    read(this.fd, bytes, 0, Math.min(bytes.length, this.end - this.position + 1), this.position, (error, got) => {
      this.#reading = false;
      if (this.#released) closeQuietly(this.fd);
      else if (!error) this.position += got;
      callback(error, got);
    });
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (!this.#reading) closeQuietly(this.fd);
  }
}

/**
 * Bytes `start`..`end` (inclusive) of the open descriptor `fd`, which this body owns: as a stream
 * for any consumer, or sent by serve() itself (send-file.ts). Creating it reads nothing
 * and builds no stream, which costs as much as a small answer (measured:
 * docs/performance.md#measurements-behind-design-choices).
 */
export class NodeFileBody implements DeferredBody {
  readonly #file: FileCursor;
  #claimed = false;

  constructor(fd: number, start: number, end: number) {
    this.#file = new FileCursor(fd, start, end);
  }

  stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const file = this.#claim();
    // As a Response body used twice: the bytes went elsewhere, so there is nothing to stream.
    if (file === undefined) throw new TypeError("this file body was already streamed, sent or cancelled");
    return fileStream(file);
  }

  cancel(): void {
    this.#claim()?.release();
  }

  /** Takes the descriptor over for serve()'s sendFileBody; undefined once streamed or cancelled. */
  take(): FileCursor | undefined {
    return this.#claim();
  }

  #claim(): FileCursor | undefined {
    if (this.#claimed) return undefined;
    this.#claimed = true;
    return this.#file;
  }
}

/** A web stream of the rest of `file`, which it releases at the end, on an error and on cancel. */
function fileStream(file: FileCursor): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      pull: (controller) =>
        new Promise<void>((resolve, reject) => {
          const bytes = new Uint8Array(Math.min(WEB_CHUNK, file.end - file.position + 1));
          file.read(bytes, (error, got) => {
            if (file.released) return resolve(); // cancelled meanwhile
            if (error) {
              file.release();
              return reject(error);
            }
            if (got === 0) {
              // The file shrank since it was stat'ed. Ending the stream normally would send a body
              // shorter than its Content-Length on a connection kept alive, and the client would
              // read the next response as the rest of this one: an error makes the server cut it.
              file.release();
              return reject(new Error("file shrank while being sent"));
            }
            controller.enqueue(got === bytes.length ? bytes : bytes.slice(0, got));
            if (file.position > file.end) {
              file.release();
              controller.close();
            }
            resolve();
          });
        }),
      cancel: () => file.release(),
    },
    { highWaterMark: 0 },
  );
}

// Synchronous: closing a file opened for reading is one short syscall, and a trip through the
// thread pool costs more than that (measured: docs/performance.md#measurements-behind-design-choices).
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing to do: the response is decided by then.
  }
}
