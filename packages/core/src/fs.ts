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

/** What kind of entry a path names. Anything but a regular file or a directory is `"other"`. */
export type FileKind = "file" | "directory" | "other";

/** The metadata the core needs to answer without reading a file: length, validators, listing rows. */
export interface FileStat {
  kind: FileKind;
  /** Size in bytes (meaningful for files). */
  size: number;
  /** Last modification time, in milliseconds since the epoch. */
  mtimeMs: number;
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
 * stream of it (Node sends one from pooled buffers: in Node 20 a `ReadableStream` alone costs
 * about as much as a 1 KiB response). Anyone else gets `stream()`.
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
   * for an empty range.
   */
  read(path: string, range: ByteRange): Promise<FileBody>;
  /** The entries of the directory at `path`, in any order. */
  readDir(path: string): Promise<DirEntry[]>;
}
