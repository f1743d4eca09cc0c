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

/** The gzip-coded stream of a body. */
export function gzip(body: FileBody): ReadableStream<Uint8Array> {
  // Widened to what CompressionStream's writable side accepts (any BufferSource).
  const init = bodyInit(body);
  const stream: ReadableStream<BufferSource> =
    init instanceof ReadableStream ? init : init instanceof Blob ? init.stream() : new Blob([init]).stream();
  return stream.pipeThrough(new CompressionStream("gzip"));
}
