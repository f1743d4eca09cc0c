/**
 * Filesystem errors as honest HTTP statuses.
 *
 * @module
 */

// Node, Bun and Deno all put POSIX error names in `error.code`; the in-memory filesystem does too.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  ENOENT: 404,
  ENOTDIR: 404,
  ELOOP: 404, // a symlink loop names nothing that can be served
  EACCES: 403,
  EPERM: 403,
  EMFILE: 503, // out of file descriptors: the server is overloaded, not broken
  ENFILE: 503,
  EAGAIN: 503, // the file shrank while it was read (adapters say so): a retry gets a whole answer
  ENAMETOOLONG: 414,
};

/** The status for an error a `FileSystem` threw, or `undefined` when it is unexpected (a 500). */
export function statusForError(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error;
  return typeof code === "string" ? STATUS_BY_CODE[code] : undefined;
}
