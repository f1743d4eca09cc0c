/**
 * File bodies that are not read yet: a web stream for any consumer, and a faster path for serve().
 *
 * `@hono/node-server` writes a web stream body chunk by chunk through a promise per chunk,
 * allocating every chunk anew: for big files that hop, not the disk, sets the pace; under many
 * slow clients the garbage sets the memory; and for mid-size files a fresh buffer per response
 * (its page faults) costs more than the read. So a read gives the core a {@link NodeFileBody},
 * which serve() sends itself with {@link sendFileBody} from reused buffers. Anywhere else (a
 * handler composed by hand, gzip, multipart) it becomes an ordinary web stream.
 *
 * @module
 */
import { closeSync, read } from "node:fs";
import { ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";
import { type DeferredBody, readFully } from "@simplehttp/core";
import { readAt } from "@simplehttp/disk";

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
 * for any consumer, or sent by serve() itself with {@link sendFileBody}. Creating it reads nothing
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

  /** Takes the descriptor over for {@link sendFileBody}; undefined once streamed or cancelled. */
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

/**
 * How {@link sendFileBody} buffers. Each download owns one small buffer; a download whose client
 * keeps up may borrow a large one from a pool shared by the whole server for each read. Large
 * reads are what make a big file fast on Node (measured:
 * docs/performance.md#measurements-behind-design-choices), but a slow client holds its buffer
 * until the kernel takes it: 50 slow clients with 512 KiB each would cost 25 MiB. The pool bounds
 * that.
 */
export interface SendBuffers {
  /** The buffer each download owns, in bytes. @default 16384 */
  own: number;
  /** The size of a pooled buffer, in bytes. @default 524288 */
  pooled: number;
  /** How many pooled buffers may exist at once. @default 4 */
  poolSize: number;
}

/** A pool of large buffers, shared by every download of one server. */
export class BufferPool {
  readonly #free: Buffer[] = [];
  #count = 0;
  constructor(readonly config: SendBuffers) {}

  borrow(): Buffer | undefined {
    if (this.#free.length > 0) return this.#free.pop();
    if (this.#count >= this.config.poolSize) return undefined;
    this.#count++;
    return Buffer.allocUnsafeSlow(this.config.pooled);
  }

  giveBack(buffer: Buffer): void {
    this.#free.push(buffer);
  }

  /** A borrowed buffer that may still be referenced by a cancelled write: let it go, make room. */
  forget(): void {
    this.#count--;
  }
}

// Up to this a body is read in one synchronous call (as small files are, see fs.ts); above it
// reads go through the thread pool, so a slow disk never holds the event loop for long.
const SINGLE_READ_MAX = 256 * 1024;

// A write whose callback comes later than this found the kernel's socket buffer full: the
// client is not keeping up, so its next read uses the download's own small buffer.
const KEEPING_UP_MS = 2;

/** A response serve() writes itself: HTTP/1.x, or HTTP/2 through Node's compatibility API. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * Sends the rest of `file` as the body of `response` (its head already written) and releases it.
 * A read fills a buffer, the socket write empties it, and the next read waits until the write has
 * reached the kernel: Node's backpressure without a stream in between, no allocation per chunk,
 * and a slow client costs the server one small buffer (see {@link SendBuffers}).
 */
export function sendFileBody(response: NodeResponse, file: FileCursor, pool: BufferPool): void {
  let own: Buffer | undefined;
  let keepingUp = true;
  let inFlight: Buffer | undefined; // a pooled buffer lent to a read or a write
  // A pooled buffer out when the download ends early may still be held by a cancelled write.
  const abandon = (): void => {
    file.release();
    if (inFlight) pool.forget();
    inFlight = undefined;
  };
  if (!whenClientGone(response, abandon)) {
    abandon();
    return;
  }
  const fail = (error: Error): void => {
    abandon();
    response.destroy(error);
  };
  const written = (): void => {
    if (inFlight) pool.giveBack(inFlight);
    inFlight = undefined;
  };
  // A body that fits one pooled buffer is read at once, synchronously (see fs.ts), and sent in
  // one write: no allocation, no trip through the thread pool.
  inFlight = file.end - file.position + 1 <= Math.min(SINGLE_READ_MAX, pool.config.pooled) ? pool.borrow() : undefined;
  if (inFlight) {
    const bytes = inFlight.subarray(0, file.end - file.position + 1);
    try {
      readFully(bytes, file.position, readAt(file.fd)); // a file that shrank throws: the connection is cut
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    file.release();
    response.end(bytes, written);
    return;
  }
  const next = (): void => {
    if (file.released) return;
    const remaining = file.end - file.position + 1;
    inFlight = keepingUp && remaining > pool.config.own ? pool.borrow() : undefined;
    let buffer = inFlight;
    if (buffer === undefined) {
      own ??= Buffer.allocUnsafeSlow(Math.min(pool.config.own, remaining));
      buffer = own;
    }
    file.read(buffer, (error, got) => {
      if (file.released) return;
      if (error) return fail(error);
      // The file shrank since it was stat'ed: cut the connection rather than send a short body.
      if (got === 0) return fail(new Error("file shrank while being sent"));
      const bytes = got === buffer.length ? buffer : buffer.subarray(0, got);
      if (file.position > file.end) {
        file.release();
        response.end(bytes, written);
        return;
      }
      const started = performance.now();
      const sent = (writeError?: Error | null): void => {
        if (writeError) {
          fail(writeError);
          return;
        }
        written();
        keepingUp = performance.now() - started < KEEPING_UP_MS;
        next();
      };
      if (response instanceof ServerResponse) response.write(bytes, sent);
      else response.write(bytes, sent);
    });
  };
  next();
}

/**
 * Calls `gone` once the client of `response` has left; false, calling nothing, when it already has.
 *
 * RFC 9112 §9.3.2: pipelined requests are answered in order. Node queues the response to a
 * request that came in behind another with no `socket` until the one before it has finished;
 * writes to it are buffered meanwhile, and if the connection drops first, neither its "close" nor
 * its write callbacks ever come. So the connection's own "close" says the client left (which it
 * may have done before the head was even written). Over HTTP/2 the response's own stream is
 * that connection: it closes when the client resets it or the session ends.
 */
function whenClientGone(response: NodeResponse, gone: () => void): boolean {
  const connection = response instanceof ServerResponse ? response.req.socket : response.stream;
  if (connection.destroyed || (response instanceof ServerResponse && response.destroyed)) return false;
  connection.once("close", gone);
  response.once("close", () => {
    connection.off("close", gone);
    gone();
  });
  return true;
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
