/**
 * One file's bytes for an archive entry: exactly the size the walk found, or an error.
 *
 * An archive states each entry's size before (tar) or after (zip) its bytes, and the response's
 * `Content-Length` was computed from the walk, so a file that changed size since must fail the
 * download: the stream errors, the server cuts the connection, and the client sees a failed
 * transfer rather than an archive that looks whole and is not. Every adapter reads exactly the
 * range asked for, so a file that grew is archived as it was when walked (its first `size`
 * bytes, a consistent entry), as a plain download of it would be; one that shrank errors.
 *
 * @module
 */
import { type FileSystem, isDeferred } from "../fs/file-system.js";
import type { ArchiveEntry } from "./walk.js";

/** A file's bytes: at hand, or a stream that holds the file open until read or released. */
export type EntryBytes =
  | { kind: "bytes"; bytes: Uint8Array }
  | {
      kind: "stream";
      /** Exactly the entry's size in bytes, or an error. */
      stream: ReadableStream<Uint8Array>;
      /**
       * Gives the file up (closing what the adapter opened), whoever holds the stream: a reader of
       * it may have locked it, so `stream.cancel()` would not do. Idempotent.
       */
      release(reason?: unknown): void;
    };

const EMPTY = new Uint8Array(0);

/**
 * Reads `entry` whole with `fs.read` (never for an empty file: the contract rules out an empty
 * range). Rejects when the body at hand already has the wrong length.
 *
 * @example
 * ```ts
 * const bytes = await entryBytes(fs, entry);
 * if (bytes.kind === "stream") bytes.release(); // not needed after all: the file is closed
 * ```
 */
export async function entryBytes(fs: FileSystem, entry: ArchiveEntry): Promise<EntryBytes> {
  if (entry.size === 0) return { kind: "bytes", bytes: EMPTY };
  const body = await fs.read(entry.path, { start: 0, end: entry.size - 1 });
  if (body instanceof Uint8Array) {
    if (body.byteLength !== entry.size) throw sizeChanged(entry, body.byteLength);
    return { kind: "bytes", bytes: body };
  }
  if (body instanceof Blob) {
    if (body.size !== entry.size) throw sizeChanged(entry, body.size);
    return checked(body.stream(), entry);
  }
  return checked(isDeferred(body) ? body.stream() : body, entry);
}

/** Gives up bytes that were never read. */
export function releaseBytes(bytes: EntryBytes | undefined, reason?: unknown): void {
  if (bytes?.kind === "stream") bytes.release(reason);
}

/**
 * `source`, checked to hold exactly `entry.size` bytes: more, or an end before them, errors the
 * stream (and releases the source). It reads only when read from (no high-water mark), so an
 * archive holds one chunk of one file at a time.
 */
function checked(source: ReadableStream<Uint8Array>, entry: ArchiveEntry): EntryBytes {
  const reader = source.getReader();
  let done = false; // the source ended, failed or was released: nothing more to give back
  let released: { reason: unknown } | undefined;
  const release = (reason?: unknown): void => {
    if (done) return;
    done = true;
    released = { reason };
    // Cancelling a reader settles a read in flight (as done), and makes the adapter close the file.
    reader.cancel(reason).catch(() => {});
  };
  let got = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          done = true; // an errored source has let its file go
          throw error;
        }
        // Released meanwhile: end with an error, never a short entry that looks complete.
        if (released) return controller.error(released.reason ?? new Error("archive entry released"));
        if (chunk.done) {
          done = true;
          if (got === entry.size) controller.close();
          else controller.error(sizeChanged(entry, got));
          return;
        }
        got += chunk.value.byteLength;
        if (got > entry.size) {
          const error = sizeChanged(entry, got);
          release(error);
          return controller.error(error);
        }
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => release(reason),
    },
    { highWaterMark: 0 },
  );
  return { kind: "stream", stream, release };
}

/** The error that fails an archive whose file changed size; `EAGAIN` as the adapters say it (errors.ts). */
function sizeChanged(entry: ArchiveEntry, got: number): Error {
  const how = got < entry.size ? `ended after ${got}` : `held more than ${entry.size}`;
  return Object.assign(
    new Error(`${entry.path} changed size while being archived: ${entry.size} bytes when walked, ${how}`),
    { code: "EAGAIN" },
  );
}
