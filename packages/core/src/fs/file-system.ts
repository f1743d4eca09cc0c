/**
 * The filesystem contract between the runtime-neutral core and each runtime's adapter.
 *
 * Paths are always relative to the served root, use `/` as separator, never start with `/`,
 * and contain only segments the core has already checked (no `..`, no `\`, no NUL). The root
 * itself is the empty string. An adapter joins them onto its root and does the I/O; the core
 * never learns where the root is, which runtime it runs on, or what a body is made of.
 *
 * @module
 */
import type { FileStat } from "./stat.js";
import type { FileWrites } from "./writes.js";

export type { FileKind, FileStat } from "./stat.js";

/**
 * A byte range asked for before the size is known, for a store that reads a range in the same call
 * that finds the object: `{ start, end }` (end inclusive, may pass the end), `{ start }` (to the
 * end), or `{ suffix }` (the last bytes).
 */
export type RangeHint = { start: number; end?: number } | { suffix: number };

/** A file found and opened in one call: its metadata, and its body (all of it, or `range`). */
export interface OpenedFile {
  stat: FileStat;
  /**
   * The bytes, or `null` when none were read (the hint could not be satisfied, or the object is
   * empty): the core then reads what it needs with `read()`, or needs nothing (a 416, a 304).
   */
  body: FileBody | null;
  /** Which bytes `body` holds; `null` for the whole file. */
  range: ByteRange | null;
}

/** One row of a directory listing. */
export interface DirEntry {
  name: string;
  /** `null` when the entry cannot be stat'ed (a dangling symlink, a permission error): listed as a plain name. */
  stat: FileStat | null;
}

/** An inclusive byte range, as in `Content-Range` (RFC 9110 §14.4): `end` is the last byte sent. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A body that is not read yet, and that its adapter's own server may send without ever making a
 * stream of it (Node sends one from pooled buffers: a `ReadableStream` alone costs as much as a
 * small answer; measured: docs/performance.md#measurements-behind-design-choices). Anyone else gets `stream()`.
 */
export interface DeferredBody {
  /** The bytes, as a stream; called at most once, and then `cancel()` is not. */
  stream(): ReadableStream<Uint8Array<ArrayBuffer>>;
  /** Gives the body up unread, releasing what it holds (an open file). */
  cancel(): void;
}

/**
 * A file body the runtime can send efficiently. The adapter chooses: Bun hands back a
 * `Bun.file()` Blob (sent with sendfile), Node the bytes of a small file or a
 * {@link DeferredBody}, the in-memory filesystem a `Uint8Array`. The core passes it to
 * `new Response()` untouched (a deferred body as its stream).
 */
export type FileBody = ReadableStream<Uint8Array<ArrayBuffer>> | Blob | Uint8Array<ArrayBuffer> | DeferredBody;

/** Whether `body` is a {@link DeferredBody}. */
export function isDeferred(body: FileBody | ReadableStream<Uint8Array>): body is DeferredBody {
  return !(body instanceof Uint8Array || body instanceof Blob || body instanceof ReadableStream);
}

/**
 * Gives a body up unread, releasing what it holds (an open file, a connection to a store): a
 * store's stream left unread would keep its connection busy until it times out.
 *
 * @example
 * ```ts
 * if (notWanted) releaseBody(object.body);
 * ```
 */
export function releaseBody(body: FileBody): void {
  if (body instanceof ReadableStream) void body.cancel().catch(() => {});
  else if (isDeferred(body)) body.cancel();
}

/** What `new Response()` takes for `body`. */
export function bodyInit(body: FileBody): ReadableStream<Uint8Array<ArrayBuffer>> | Blob | Uint8Array<ArrayBuffer> {
  return isDeferred(body) ? body.stream() : body;
}

/**
 * The abstract filesystem the handler serves from.
 *
 * Errors: `stat` answers `null` for a path that does not exist (or runs through a non-directory).
 * Anything else may throw; an error carrying a Node-style `code` (`EACCES`, `EMFILE`, …) is mapped
 * to an honest status by the handler (see `errors.ts`), and any other error becomes a plain 500.
 *
 * @example An adapter in a few lines
 * ```ts
 * const fs: FileSystem = {
 *   stat: async (path) => lookup(path),
 *   read: async (path, range) => bytes(path).subarray(range.start, range.end + 1),
 *   readDir: async (path) => children(path),
 * };
 * ```
 */
export interface FileSystem {
  /** Metadata of `path` (symlinks followed), or `null` when nothing is there. */
  stat(path: string): Promise<FileStat | null>;
  /**
   * The bytes `range.start` to `range.end` (inclusive) of the file at `path`, as a body. The core
   * always passes a range, `{ start: 0, end: size - 1 }` for a whole file, so an adapter knows the
   * exact length up front (one buffer for a small file, a bounded stream or a `Blob.slice()` for a
   * large one) and the body holds exactly the bytes `Content-Length` promised. It is never called
   * for an empty range. `stat`, when the core has it, is what this filesystem's `stat()` answered
   * for `path` in the same request: an adapter that opened the file for that stat reads that very
   * file (held-files.ts), so the bytes are those of the file whose validators went out.
   */
  read(path: string, range: ByteRange, stat?: FileStat): Promise<FileBody>;
  /** The entries of the directory at `path`, in any order. */
  readDir(path: string): Promise<DirEntry[]>;
  /**
   * Optional, for object storage, where metadata and bytes come in one round trip (`GET`): the
   * file at `path` with its body (the range `hint` when given); a directory's stat with no body
   * when `path` is a prefix (unless `filesOnly`, when the core needs a file or nothing and no call
   * should be spent on finding a prefix); `null` when nothing is there. With it, a GET of a file
   * costs one call and a 404 two, and the core finds a folder's index page in the folder's
   * listing rather than asking for each index name. A disk adapter leaves it out: its stat and
   * read are cheaper apart.
   */
  open?(path: string, hint?: RangeHint, filesOnly?: boolean): Promise<OpenedFile | null>;
  /**
   * Optional, synchronous: `true` only when the filesystem knows, from one cheap check made now,
   * that none of `names` (entries directly under the root) exists, as surely as a `stat()` of each
   * made now would say; `false` when it cannot tell, and the caller asks `stat()`. The site's rules
   * ask it on every request for `_redirects` and `_headers`, which most sites never have: a disk
   * answers from its record of names missing under the root (absences.ts) with one stat of the
   * root, where two `stat()` calls cost two stats and their promises.
   */
  knownAbsent?(names: readonly string[]): boolean;
  /**
   * Optional: how files are written (writes.ts). Without it the filesystem is read-only, and the
   * core refuses every write, whatever the handler's `write` option says.
   */
  writes?: FileWrites;
}
