/**
 * Filesystem errors as honest HTTP statuses, and the two questions every disk adapter asks of them.
 *
 * @module
 */

// Node, Bun and Deno all put POSIX error names in `error.code`; the in-memory filesystem does too.
// A store (S3, R2) is a server this one asks on the client's behalf, so its failures are a
// gateway's (RFC 9110 §15.6.3, §15.6.5): the store adapters turn each runtime's network errors
// into these codes, and add EUPSTREAM (ours) for a store that answered with an error or garbage.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  ENOENT: 404,
  ENOTDIR: 404,
  ELOOP: 404, // a symlink loop names nothing that can be served
  EACCES: 403,
  EPERM: 403,
  EMFILE: 503, // out of file descriptors: the server is overloaded, not broken
  ENFILE: 503,
  EAGAIN: 503, // the file shrank while it was read, or a store asked to slow down: retry later
  ENAMETOOLONG: 414,
  // What a write meets (fs/writes.ts):
  EEXIST: 409, // something is there, and nothing is replaced
  EISDIR: 409, // a file cannot replace a folder
  ENOTEMPTY: 409,
  EINVAL: 409, // a folder moved or copied into itself
  ESTALE: 412, // the file changed since its preconditions held (RFC 9110 §13.1.1)
  EFBIG: 413, // over the upload cap (RFC 9110 §15.5.14)
  EBADMSG: 400, // a body shorter or longer than its Content-Length
  ECLIENTGONE: 400, // the client went away mid-body (write/body.ts): not the server's fault
  ENOSPC: 507, // no room: RFC 4918 §11.5 Insufficient Storage
  EDQUOT: 507,
  EROFS: 403, // a read-only filesystem
  EILSEQ: 409, // a name this runtime cannot spell, met in a folder copied (Deno)
  // 502 Bad Gateway: the store could not be reached, or its answer was not one.
  ECONNREFUSED: 502,
  ECONNRESET: 502,
  ENOTFOUND: 502, // its host name resolves to nothing
  EAI_AGAIN: 502, // the name lookup failed for now
  EHOSTUNREACH: 502,
  ENETUNREACH: 502,
  EUPSTREAM: 502,
  // 504 Gateway Timeout: the store did not answer in time.
  ETIMEDOUT: 504,
};

/**
 * The status for an error a `FileSystem` threw, from its `code`, or `undefined` when it is
 * unexpected (a 500, and most likely a bug): what the handler answers, and what an `onError` can
 * use to tell a failure it expected (a store down, one line in a log) from a bug (a stack).
 *
 * @example
 * ```ts
 * statusForError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })); // 502
 * statusForError(new TypeError("x is undefined")); // undefined
 * ```
 */
export function statusForError(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error;
  return typeof code === "string" ? STATUS_BY_CODE[code] : undefined;
}

/**
 * The codes of a path that names nothing: missing, running through a file (`a.txt/x`), or a
 * symlink loop. A `stat()` answers null for them and a listing leaves such an entry out.
 */
export const ABSENT_CODES: ReadonlySet<string> = new Set(["ENOENT", "ENOTDIR", "ELOOP"]);

/**
 * Whether `error` says the path names nothing (see {@link ABSENT_CODES}): a 404, not a 500.
 *
 * @example
 * ```ts
 * const stats = await stat(path).catch((error) => (isAbsent(error) ? null : Promise.reject(error)));
 * ```
 */
export function isAbsent(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  return typeof error.code === "string" && ABSENT_CODES.has(error.code);
}

/**
 * The error for a path that is there but must not be served (a FIFO, a link out of the root): its
 * code is `ENOENT`, so the handler answers 404, as for a missing path, and tells nothing more.
 *
 * @param path the path refused, for the message (bytes are decoded as UTF-8, U+FFFD for the rest)
 * @param why what is wrong with it, for the message
 * @example
 * ```ts
 * if (!stats.isFile()) throw notServable(path, "not a regular file"); // → 404
 * ```
 */
export function notServable(path: string | Uint8Array, why: string): Error & { code: "ENOENT" } {
  const shown = typeof path === "string" ? path : new TextDecoder().decode(path);
  return Object.assign(new Error(`${why}: ${shown}`), { code: "ENOENT" as const });
}
