/**
 * How serve() sends a file body itself, written straight to the socket with no web stream in
 * between (file-body.ts says why): a body up to 256 KiB read whole into a buffer of its own, a
 * larger one read in turns into buffers that are reused.
 *
 * @module
 */
import { ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";
import { readFully } from "@simplehttp/core";
import { readAt } from "@simplehttp/disk";
import type { FileCursor } from "./file-body.js";

/**
 * How {@link sendFileBody} buffers. A body up to 256 KiB is read whole into a buffer of its own,
 * in one call, and sent in one write, as long as the bytes so held by the whole server stay
 * within a budget. A larger body (or one past the budget) is sent in turns: each download owns
 * one small buffer, and one whose client keeps up may borrow a large one from a pool shared by
 * the whole server for each read. Large reads are what make a big file fast on Node (measured:
 * docs/performance.md#measurements-behind-design-choices), but a slow client holds its buffer
 * until the kernel takes it: 50 slow clients with 512 KiB each would cost 25 MiB. The budget and
 * the pool bound that.
 */
export interface SendBuffers {
  /** The buffer each download sent in turns owns, in bytes. @default 16384 */
  own: number;
  /** The size of a pooled buffer, in bytes. @default 524288 */
  pooled: number;
  /** How many pooled buffers may exist at once. @default 4 */
  poolSize: number;
  /**
   * How many bytes the bodies read whole may hold at once, server-wide, until the kernel has
   * taken them or their client has left. Bodies under 16 KiB are not counted (see `SMALL_MAX`).
   * @default 16777216
   * @example { own: 16384, pooled: 524288, poolSize: 4, wholeBudget: 4 * 1024 * 1024 }
   */
  wholeBudget: number;
}

/** A pool of large buffers and the budget of bytes read whole, shared by every download of one server. */
export class BufferPool {
  readonly #free: Buffer[] = [];
  #count = 0;
  #wholeHeld = 0;
  constructor(readonly config: SendBuffers) {}

  /**
   * A buffer of its own for a body of `size` bytes read whole, counted against the budget.
   * @param size The body's length in bytes.
   * @returns The buffer, or undefined when the budget has no room for it.
   */
  takeWhole(size: number): Buffer | undefined {
    if (this.#wholeHeld + size > this.config.wholeBudget) return undefined;
    this.#wholeHeld += size;
    return Buffer.allocUnsafeSlow(size);
  }

  /** Counts a body read whole back into the budget: the kernel has its bytes, or its client left. */
  releaseWhole(size: number): void {
    this.#wholeHeld -= size;
  }

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

// Below this a body is read into a buffer of its own, in one synchronous call, and sent in one
// write, and not counted against the budget: from Node's shared slab below 4 KiB, so nothing to
// give back and nothing to watch (a counted body listens for the client leaving, which costs as
// much as the read).
const SMALL_MAX = 16 * 1024;

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
 * @param response The response whose head is written.
 * @param file The file, positioned at the body's first byte, which this call now owns.
 * @param pool The server's pool and budget (see {@link SendBuffers}).
 */
export function sendFileBody(response: NodeResponse, file: FileCursor, pool: BufferPool): void {
  const size = file.end - file.position + 1;
  if (size < SMALL_MAX) {
    const bytes = Buffer.allocUnsafe(size);
    if (readRest(response, file, bytes)) response.end(bytes);
    return;
  }
  const whole = size <= SINGLE_READ_MAX ? pool.takeWhole(size) : undefined;
  if (whole) sendWhole(response, file, pool, whole);
  else sendInTurns(response, file, pool);
}

/**
 * {@link sendFileBody} for a body read whole into `bytes`, taken from the budget: one synchronous
 * read (see fs.ts) and one write, as the floor does (docs/performance.md). The bytes count against
 * the budget until the write has reached the kernel or the client has left.
 */
function sendWhole(response: NodeResponse, file: FileCursor, pool: BufferPool, bytes: Buffer): void {
  let held = true;
  const done = (): void => {
    file.release();
    if (held) pool.releaseWhole(bytes.length);
    held = false;
  };
  if (!whenClientGone(response, done)) done();
  else if (readRest(response, file, bytes)) response.end(bytes, done);
  else done();
}

/**
 * Fills `bytes` with the rest of `file`, in one synchronous read (see fs.ts), and releases it.
 * @returns true when read; false when the file shrank or failed, the connection then cut.
 */
function readRest(response: NodeResponse, file: FileCursor, bytes: Buffer): boolean {
  try {
    readFully(bytes, file.position, readAt(file.fd)); // a file that shrank throws
    return true;
  } catch (error) {
    response.destroy(error instanceof Error ? error : new Error(String(error)));
    return false;
  } finally {
    file.release();
  }
}

/**
 * {@link sendFileBody} for a body sent in turns. A read fills a buffer, the socket write empties
 * it, and the next read waits until the write has reached the kernel: Node's backpressure without
 * a stream in between, no allocation per chunk, and a slow client costs the server one small
 * buffer (see {@link SendBuffers}).
 */
function sendInTurns(response: NodeResponse, file: FileCursor, pool: BufferPool): void {
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
