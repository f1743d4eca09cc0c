/**
 * The writing half of the filesystem contract: what an adapter implements so the core can receive
 * files (docs/writes.md). Paths are checked exactly as for reads (file-system.ts): relative,
 * `/`-separated, no `.`, `..`, `\` or NUL.
 *
 * Every write is whole or absent. A disk writes into a temporary file in the target folder,
 * flushes it and renames it into place; a store's object appears only once complete. A failure
 * (a client gone, a size cap, a full disk, a crash) leaves nothing at the final name.
 *
 * Errors carry a POSIX `code`, mapped to statuses in errors.ts: `EEXIST` (something is there),
 * `ESTALE` (the file changed since the core checked it), `EFBIG` (over the size cap), `EBADMSG`
 * (a body shorter or longer than its announced length), `ENOSPC`
 * and `EDQUOT` (no room), `EISDIR`, `ENOTDIR`, `ENOTEMPTY`, `ENOENT`, `EACCES`; and for a resumable
 * upload, `ESPIPE` (a piece sent at another offset than the upload's).
 *
 * @module
 */
import type { FileStat } from "./stat.js";

/**
 * How a write meets what is already at its path: `"create"` never replaces anything (of two
 * creates of one name, exactly one succeeds, the other fails with `EEXIST`); `"replace"` replaces
 * a file whole, never a folder (`EISDIR`).
 */
export type WriteMode = "create" | "replace";

/** Options of {@link FileWrites.put}. */
export interface PutOptions {
  mode: WriteMode;
  /**
   * For `"replace"`: the file as the core saw it when it checked the request's preconditions
   * (`If-Match`, RFC 9110 §13.1.1). The adapter replaces it only if it still has that size, time
   * and tag at the moment of the rename, else fails with `ESTALE` (412): no lost update when two
   * people save the same file. Unset: whatever file is there is replaced.
   */
  expected?: FileStat;
  /** The most bytes the body may hold; past it the write fails with `EFBIG` and nothing is kept. */
  maxBytes: number;
  /** The length the client announced, when it did: a body that ends short fails and is discarded. */
  length?: number;
  /** Create missing parent folders, each checked as a request path is. */
  parents: boolean;
  /** The file's modification time to keep, in ms (a client that preserves times sends it). */
  mtimeMs?: number;
}

/** What a write did: whether the name is new (201) or was replaced (204), and the file now there. */
export interface WriteResult {
  created: boolean;
  stat: FileStat;
}

/**
 * A filesystem's writes. Optional on a `FileSystem` (its `writes` member): a filesystem without it
 * is read-only, and the core answers every write 405 whatever the options say.
 */
export interface FileWrites {
  /**
   * Stores `body` as the file at `path`, whole or not at all. The stream is read to its end (or
   * until a cap or a failure) and, on failure, cancelled.
   */
  put(path: string, body: ReadableStream<Uint8Array>, options: PutOptions): Promise<WriteResult>;
  /** Creates the folder `path`: its parent must exist (`ENOENT`), and nothing may be there (`EEXIST`). */
  mkdir(path: string): Promise<void>;
  /** Removes the file or the folder at `path`, a folder with everything below it (`ENOENT` if absent). */
  remove(path: string): Promise<void>;
  /**
   * Moves the file or folder `from` to `to`, whose parent must exist. With `overwrite`, what is at
   * `to` is replaced (a folder with everything below it); without, that is `EEXIST`.
   */
  move(from: string, to: string, overwrite: boolean): Promise<{ created: boolean }>;
  /** Copies the file or folder `from` (a folder with everything below it) to `to`, as {@link move}. */
  copy(from: string, to: string, overwrite: boolean): Promise<{ created: boolean }>;
  /**
   * Uploads sent in pieces, resumed after a break (the core's tus, write/tus.ts). Optional: a
   * filesystem without it (a store) takes whole files only, and tus is not offered.
   */
  partial?: PartialWrites;
}

/** Options of {@link PartialWrites.begin}. */
export interface PartialOptions {
  /** The whole file's size in bytes: it is complete when this many are stored. */
  length: number;
  /** How {@link PartialWrites.finish} meets what is at the path then, as for {@link FileWrites.put}. */
  mode: WriteMode;
  /** The most bytes a file may hold: a `length` past it is `EFBIG`. */
  maxBytes: number;
  /** Create missing parent folders, each checked as a request path is (at begin, as put does). */
  parents: boolean;
  /** Kept with the upload and given back by `status` (tus's `Upload-Metadata`); opaque here. */
  metadata?: string;
}

/** Where an upload stands. */
export interface PartialStatus {
  /** How many bytes are stored (and flushed): the next piece starts here. */
  offset: number;
  length: number;
  metadata?: string;
  /** When the upload is removed if nothing touches it before, in ms since the epoch. */
  expiresMs: number;
}

/**
 * Resumable uploads: a file written in pieces, each appended at the offset the last one reached,
 * then committed whole. The incomplete file is never listed nor served (on a disk, a temporary
 * file beside its target, as put's), and each piece is flushed before its offset is answered, so
 * an offset the client was told survives the client's reconnect. Ids are unguessable and bound to
 * the path they were made for: every method takes both, and an id with another path is `ENOENT`.
 * An upload nothing touches for a day is aborted; a crashed process's are removed with its other
 * temporary files.
 *
 * One request of an upload runs at a time, and the newest wins: a client that asks again has given
 * up on its earlier request (a connection broken on its side may take minutes to break on this
 * one), so an append still reading is stopped where it is, keeping what it stored.
 */
export interface PartialWrites {
  /** Starts an upload of `path`: answers its id. The incomplete file is empty. */
  begin(path: string, options: PartialOptions): Promise<string>;
  /** Where the upload `id` of `path` stands, or null when there is none (finished, aborted, expired). */
  status(path: string, id: string): Promise<PartialStatus | null>;
  /**
   * Appends `body` at `offset`, which must be the upload's offset (else `ESPIPE`, and nothing
   * changes). Whatever is stored stays, even when the body fails midway (a client gone): the
   * offset answered, or given by `status` after a failure, says how far it got. A body past the
   * upload's length is `EFBIG` from the first byte past it. `ENOENT` when there is no such upload.
   */
  append(path: string, id: string, offset: number, body: ReadableStream<Uint8Array>): Promise<PartialStatus>;
  /**
   * Commits the complete upload to its path, as put commits (create never replaces: `EEXIST`).
   * The upload is over either way: on a failure, its bytes are removed. `EBADMSG` before the
   * offset has reached the length.
   */
  finish(path: string, id: string): Promise<WriteResult>;
  /** Aborts the upload, removing what it stored (`ENOENT` when there is none). */
  abort(path: string, id: string): Promise<void>;
}

/**
 * The prefix of the temporary files a write makes beside its target. Such names are never listed
 * nor served, whatever the dotfile policy, and a name of a request path cannot start with it.
 */
export const UPLOAD_TEMP_PREFIX = ".simplehttp-upload-";
