/**
 * A zip of walked entries, streamed by `client-zip` (docs/archives.md says why that library).
 *
 * client-zip writes each file "stored" (no compression: a static server's files are mostly
 * compressed already, and deflate would cost far more CPU than the CRC), with a data descriptor
 * after its bytes (APPNOTE 4.3.9), ZIP64 fields once a file or an offset reaches 4 GiB, and the
 * UTF-8 flag (general purpose bit 11, APPNOTE 4.4.4 and appendix D) on every name that is UTF-8.
 * It reads the next file only when the previous one is sent, one chunk at a time.
 *
 * What this module adds: names as bytes (a name that is not UTF-8, carried as lone surrogates by
 * the core, goes into the archive as its own bytes, without the flag, as Info-ZIP's zip writes it),
 * mtimes clamped to what DOS dates can hold, the exact length up front, and cancellation: when
 * the response is cancelled client-zip calls `throw()` on the input iterator but never cancels
 * the file stream it is reading, so the iterator below releases that file itself.
 *
 * @module
 */
import { makeZip, predictLength } from "client-zip";
import type { FileSystem } from "../fs/file-system.js";
import { nameBytes } from "../fs/names.js";
import { type EntryBytes, entryBytes, releaseBytes } from "./file.js";
import type { ArchiveEntry } from "./walk.js";

// client-zip's own defaults are 0o664 and 0o775; a server's files are rather 0o644 and 0o755,
// which is also what the tar (archive-tar.ts) says.
const FILE_MODE = 0o644;
const DIRECTORY_MODE = 0o755;

/** The exact byte length of {@link zipStream} over `entries` (as long as no file changes size). */
export function zipLength(entries: readonly ArchiveEntry[]): number {
  const metadata = entries.map((entry) =>
    entry.kind === "directory" ? { name: nameBytes(entry.name) } : { name: nameBytes(entry.name), size: entry.size },
  );
  return Number(predictLength(metadata));
}

/**
 * The zip of `entries`, read from `fs` as it is pulled. Errors if a file cannot be read or
 * changed size since the walk; cancelling it releases the file being read.
 *
 * @example
 * ```ts
 * const tree = await walkTree(fs, "docs", visible, limits);
 * if (tree.fits) {
 *   return new Response(zipStream(fs, tree.entries), {
 *     headers: { "content-length": String(zipLength(tree.entries)) },
 *   });
 * }
 * ```
 */
export function zipStream(fs: FileSystem, entries: readonly ArchiveEntry[]): ReadableStream<Uint8Array> {
  // `true` would flag every name as UTF-8 unchecked; left undefined, client-zip flags a name only
  // when its bytes are valid UTF-8, which is exactly right for names carrying raw bytes.
  return lazy(() => makeZip(inputs(fs, entries), { buffersAreUTF8: undefined }));
}

/**
 * `make()`'s stream, made at the first read. client-zip's stream has a high-water mark of one
 * chunk, so it would open the first file as soon as it exists: a reply made and never sent (its
 * client gone before the head was written, a test) would hold that file open for good.
 */
function lazy(make: () => ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= make().getReader();
        const chunk = await reader.read();
        if (chunk.done) controller.close();
        else controller.enqueue(chunk.value);
      },
      cancel: (reason) => reader?.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

type ZipInput =
  | { name: Uint8Array; lastModified: Date; mode: number }
  | { name: Uint8Array; lastModified: Date; mode: number; input: Uint8Array | ReadableStream<Uint8Array> };

/**
 * client-zip's inputs, one entry at a time, opening each file only when client-zip asks for it.
 * An iterator by hand rather than a generator: `throw()` must release the open file even while a
 * `next()` is still waiting for `fs.read`, and resolve rather than reject (client-zip awaits it
 * in the response stream's cancel).
 */
function inputs(fs: FileSystem, entries: readonly ArchiveEntry[]): AsyncIterable<ZipInput> {
  let index = 0;
  let stopped = false;
  let current: EntryBytes | undefined; // the file client-zip is reading, if any
  const stop = async (reason?: unknown): Promise<IteratorResult<ZipInput>> => {
    stopped = true;
    releaseBytes(current, reason);
    current = undefined;
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterator<ZipInput> = {
    async next() {
      current = undefined; // client-zip read the previous file to its end before asking again
      const entry = entries[index++];
      if (stopped || entry === undefined) return { done: true, value: undefined };
      const name = nameBytes(entry.name);
      const lastModified = dosDate(entry.mtimeMs);
      if (entry.kind === "directory") return { done: false, value: { name, lastModified, mode: DIRECTORY_MODE } };
      const bytes = await entryBytes(fs, entry);
      if (stopped) {
        releaseBytes(bytes);
        return { done: true, value: undefined };
      }
      current = bytes;
      const input = bytes.kind === "bytes" ? bytes.bytes : bytes.stream;
      return { done: false, value: { name, lastModified, mode: FILE_MODE, input } };
    },
    throw: stop,
    return: stop,
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

/**
 * The date client-zip writes as a DOS date and time (APPNOTE 4.4.6): local time, two-second
 * steps, years 1980 to 2107. A time outside that range would wrap into a wrong year, so it is
 * clamped to the nearest end.
 */
function dosDate(mtimeMs: number): Date {
  const min = new Date(1980, 0, 1).getTime();
  const max = new Date(2107, 11, 31, 23, 59, 58).getTime();
  return new Date(Number.isFinite(mtimeMs) ? Math.min(max, Math.max(min, mtimeMs)) : min);
}
