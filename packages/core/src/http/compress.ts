/**
 * On-the-fly gzip, with the web platform's `CompressionStream` (every runtime has it).
 *
 * @module
 */
import { bodyInit, type FileBody } from "../fs/file-system.js";

/**
 * Under a TCP segment or so there is nothing to win: the gzip framing alone is 18 bytes and the
 * time to compress is not repaid.
 */
export const DEFAULT_COMPRESS_MIN_SIZE = 1024;

// Formats that are already compressed (images, video, archives, fonts in woff2) gain nothing.
const COMPRESSIBLE =
  /^(?:text\/|image\/svg\+xml|application\/(?:javascript|json|xml|wasm|manifest\+json|[\w.-]+\+(?:json|xml)))/;

/** Whether a media type is worth compressing. */
export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType);
}

/**
 * Writes into the compressor not yet taken in, at most: the next waits for the oldest. Node's
 * `CompressionStream` takes every write at once, whatever is read from its other side, so a body
 * piped into it (`pipeThrough`) went in whole before the first compressed byte came out: a
 * 100,000-entry listing, 15.8 MB, was held in memory and its first byte waited for all of it
 * (docs/performance.md, "Huge listings, compressed"). Eight writes in flight gave the first byte at
 * once and lost least time in all (1, 2, 4, 8 and 16 tried, on Node 20.20).
 */
const WRITES_IN_FLIGHT = 8;

/** The gzip-coded stream of a body, read as it is compressed. */
export function gzip(body: FileBody): ReadableStream<Uint8Array> {
  // Widened to what CompressionStream's writable side accepts (any BufferSource).
  const init = bodyInit(body);
  const stream: ReadableStream<BufferSource> =
    init instanceof ReadableStream ? init : init instanceof Blob ? init.stream() : new Blob([init]).stream();
  const compressor = new CompressionStream("gzip");
  feed(stream.getReader(), compressor.writable.getWriter());
  return compressor.readable;
}

/**
 * Writes what `reader` reads into `writer`, {@link WRITES_IN_FLIGHT} at most at a time, and closes
 * it at the end. A failure on either side ends both: a body that cannot be read aborts the
 * compression (the reply is cut short, as a piped body's is), and a reply cancelled by its client
 * fails the next write, which cancels the body (a listing stops being made).
 */
function feed(
  reader: ReadableStreamDefaultReader<BufferSource>,
  writer: WritableStreamDefaultWriter<BufferSource>,
): void {
  const pump = async (): Promise<void> => {
    const writes: Promise<void>[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const write = writer.write(value);
      // Each failed write is seen where it is awaited, or by the failure that ended the pump.
      write.catch(() => {});
      writes.push(write);
      if (writes.length >= WRITES_IN_FLIGHT) await writes.shift();
    }
    await Promise.all(writes);
    await writer.close();
  };
  pump().catch((error: unknown) => {
    writer.abort(error).catch(() => {});
    reader.cancel(error).catch(() => {});
  });
}
