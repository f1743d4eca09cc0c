/**
 * `multipart/byteranges` bodies (RFC 9110 §14.6), for a 206 answering several ranges.
 *
 * @module
 */
import { type ByteRange, bodyInit, type FileBody, isDeferred } from "../fs/file-system.js";

const encoder = new TextEncoder();

/** The framing of a multipart body, known before any part is read (all a HEAD needs). */
export interface MultipartLayout {
  ranges: readonly ByteRange[];
  /** Exact byte length, for `Content-Length`. */
  length: number;
  /** `multipart/byteranges; boundary=…` */
  contentType: string;
  heads: Uint8Array<ArrayBuffer>[];
  tail: Uint8Array<ArrayBuffer>;
}

/**
 * Lays out the parts of a multi-range 206: each with its own `Content-Type` (the representation's)
 * and `Content-Range`.
 */
export function multipartLayout(ranges: readonly ByteRange[], size: number, partType: string): MultipartLayout {
  const boundary = randomBoundary();
  const heads = ranges.map((range, i) =>
    encoder.encode(
      `${i === 0 ? "" : "\r\n"}--${boundary}\r\nContent-Type: ${partType}\r\n` +
        `Content-Range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`,
    ),
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const length = heads.reduce(
    (sum, head, i) => sum + head.byteLength + rangeLength(ranges[i] as ByteRange),
    tail.byteLength,
  );
  return { ranges, length, contentType: `multipart/byteranges; boundary=${boundary}`, heads, tail };
}

/**
 * Builds the body of a multi-range 206 laid out by {@linkcode multipartLayout}.
 *
 * When the filesystem hands back bytes (the in-memory filesystem, Node's small reads), the parts
 * are joined into one Blob: its size is known, so every runtime sends `Content-Length` (workerd
 * drops it for a stream). File-backed Blobs are not joined: Bun 1.4 sends a Blob built from
 * `Bun.file()` slices and byte arrays with its parts misplaced. Otherwise the body is a stream
 * that reads the remaining parts one after another,
 * only when the client has taken the previous one, so one file handle at most is open at a time,
 * and cancelling the response cancels what is open.
 *
 * Layout, as Go's `net/http` writes it:
 * `--B CRLF headers CRLF CRLF data` for each part, parts separated by CRLF, then `CRLF --B-- CRLF`.
 */
export async function multipartBody(
  { ranges, heads, tail }: MultipartLayout,
  read: (range: ByteRange) => Promise<FileBody>,
): Promise<Blob | ReadableStream<Uint8Array>> {
  // Read while the parts are bytes: until then every part can go into one Blob.
  const bodies: FileBody[] = [];
  for (const range of ranges) {
    const body = await read(range);
    bodies.push(body);
    if (!(body instanceof Uint8Array)) break;
  }
  if (bodies.length === ranges.length && bodies.every((body) => body instanceof Uint8Array)) {
    return new Blob([...heads.flatMap((head, i) => [head, bodies[i] as Uint8Array<ArrayBuffer>]), tail]);
  }

  let next = 0;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let cancelled = false;
  const giveUp = (part: FileBody, reason: unknown): Promise<void> | void =>
    part instanceof ReadableStream ? part.cancel(reason) : isDeferred(part) ? part.cancel() : undefined;
  return new ReadableStream<Uint8Array>({
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
        const part = bodies[next] ?? (await read(range));
        next++;
        // Cancelled while that read was pending: the part is nobody's now, so release it here.
        if (cancelled) return giveUp(part, undefined);
        const init = bodyInit(part);
        if (init instanceof Uint8Array) return controller.enqueue(init);
        reader = (init instanceof Blob ? init.stream() : init).getReader();
      }
    },
    async cancel(reason) {
      cancelled = true;
      await reader?.cancel(reason);
      // A stream read ahead but not reached yet holds a file open too.
      await Promise.all(bodies.slice(next).map((part) => giveUp(part, reason)));
    },
  });
}

function rangeLength(range: ByteRange): number {
  return range.end - range.start + 1;
}

function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `simplehttp-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
