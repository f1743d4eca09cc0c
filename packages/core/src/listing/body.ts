/**
 * A listing's chunks as the bytes sent: one buffer with its length (kept for the next request, in
 * either coding), or a stream made as it is read; gzipped for a client that accepts it.
 *
 * Gzip, not brotli: a listing is generated, so it is compressed on the fly, with the web platform's
 * `CompressionStream` (the core imports nothing runtime-specific, so not `node:zlib`). Its formats
 * are gzip and deflate on every runtime; brotli is not in the standard, and of the runtimes here
 * only Bun 1.4.5 and Deno 2.9.6 accept it (as "brotli"), Node 20 not. A 10,000-entry page of 1.7
 * MB is 180 KB gzipped; brotli would make it 68 KB (docs/performance.md, "Listings").
 *
 * @module
 */
import { DEFAULT_COMPRESS_MIN_SIZE, gzip } from "../http/compress.js";
import { chooseEncoding } from "../http/negotiate.js";
import { type Reply, reply } from "../http/reply.js";

const encoder = new TextEncoder();

/** An answer made once, as UTF-8, and its gzip once a client asked for it. */
export interface MadeAnswer {
  identity: Uint8Array<ArrayBuffer>;
  gzip?: Uint8Array<ArrayBuffer>;
}

/** Whether the request accepts gzip (RFC 9110 §12.5.3, q-values and `*` respected). */
export function acceptsGzip(request: Request): boolean {
  return chooseEncoding(request.headers.get("accept-encoding"), ["gzip"]) === "gzip";
}

/**
 * The chunks as one UTF-8 buffer. Each is encoded where it goes, into room for its worst case (3
 * bytes a UTF-16 unit): joining them first would make one string V8 must flatten whole, and
 * encoding each apart would copy every byte twice.
 */
export function encodeAll(chunks: Iterable<string>): Uint8Array<ArrayBuffer> {
  let buffer = new Uint8Array(64 * 1024);
  let length = 0;
  for (const chunk of chunks) {
    if (buffer.length - length < chunk.length * 3) {
      const larger = new Uint8Array(Math.max(buffer.length * 2, length + chunk.length * 3));
      larger.set(buffer.subarray(0, length));
      buffer = larger;
    }
    length += encoder.encodeInto(chunk, buffer.subarray(length)).written;
  }
  return buffer.slice(0, length);
}

/**
 * The 200 for an answer made whole: gzipped for a client that accepts it (compressed the first time
 * and kept in `made`, so a folder asked for again costs no compression), as it is otherwise, and
 * below a packet's worth either way, where gzip's framing and time are not repaid.
 */
export async function bufferedReply(
  made: MadeAnswer,
  gzipped: boolean,
  head: boolean,
  headers: Headers,
): Promise<Reply> {
  if (!gzipped || made.identity.byteLength < DEFAULT_COMPRESS_MIN_SIZE) {
    headers.set("content-length", String(made.identity.byteLength));
    return reply(200, headers, head ? null : made.identity);
  }
  made.gzip ??= new Uint8Array(await new Response(gzip(made.identity)).arrayBuffer());
  headers.set("content-encoding", "gzip");
  headers.set("content-length", String(made.gzip.byteLength));
  return encodedReply(headers, head ? null : made.gzip);
}

/**
 * The 200 for a large folder's answer, made as it is read (no Content-Length: chunked on
 * HTTP/1.1), so the server never holds the whole page and serves other requests between its
 * chunks; gzipped as it goes for a client that accepts it.
 */
export function streamedReply(
  chunks: Generator<string, void, undefined>,
  gzipped: boolean,
  head: boolean,
  headers: Headers,
): Reply {
  if (!gzipped) return reply(200, headers, head ? null : streamOf(chunks));
  headers.set("content-encoding", "gzip");
  return encodedReply(headers, head ? null : gzip(streamOf(chunks)));
}

/** A 200 whose body is gzip already: `encoded`, so workerd does not compress it again (reply.ts). */
function encodedReply(headers: Headers, body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null): Reply {
  return { status: 200, headers, body, encoded: true };
}

/** A byte stream of `chunks`, each made when the consumer asks for it; cancelled, it stops. */
function streamOf(chunks: Generator<string, void, undefined>): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      cancel() {
        chunks.return();
      },
    },
    { highWaterMark: 0 },
  );
}
