/**
 * `multipart/byteranges` bodies (RFC 9110 §14.6), for a 206 answering several ranges.
 *
 * @module
 */
import type { ByteRange, FileBody } from "./fs.js";

const encoder = new TextEncoder();

/** A multipart body with its exact length and media type. */
export interface MultipartBody {
  body: ReadableStream<Uint8Array>;
  /** Exact byte length, for `Content-Length`. */
  length: number;
  /** `multipart/byteranges; boundary=…` */
  contentType: string;
}

/**
 * Builds the body of a multi-range 206. Each part carries its own `Content-Type` (the
 * representation's) and `Content-Range`. The parts are read one after another, only when the
 * client has taken the previous one, so one file handle at most is open at a time, and
 * cancelling the response cancels the part being read.
 *
 * Layout, as Go's `net/http` writes it:
 * `--B CRLF headers CRLF CRLF data` for each part, parts separated by CRLF, then `CRLF --B-- CRLF`.
 */
export function multipartByteranges(
  ranges: readonly ByteRange[],
  size: number,
  partType: string,
  read: (range: ByteRange) => Promise<FileBody>,
): MultipartBody {
  const boundary = randomBoundary();
  const heads = ranges.map((range, i) =>
    encoder.encode(
      `${i === 0 ? "" : "\r\n"}--${boundary}\r\nContent-Type: ${partType}\r\nContent-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`,
    ),
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const length = heads.reduce((sum, head, i) => sum + head.byteLength + rangeLength(ranges[i] as ByteRange), tail.byteLength);

  let next = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (true) {
        if (reader) {
          const { done, value } = await reader.read();
          if (!done) return controller.enqueue(value);
          reader = undefined;
        }
        const range = ranges[next];
        if (range === undefined) {
          controller.enqueue(tail);
          return controller.close();
        }
        controller.enqueue(heads[next] as Uint8Array);
        next++;
        const part = await read(range);
        if (part instanceof Uint8Array) return controller.enqueue(part);
        reader = (part instanceof Blob ? part.stream() : part).getReader();
      }
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
  return { body, length, contentType: `multipart/byteranges; boundary=${boundary}` };
}

function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}

function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `simplehttp-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
