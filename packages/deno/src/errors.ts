/**
 * Deno's errors in the POSIX terms the core maps to statuses.
 *
 * @module
 */

/**
 * The error with a POSIX `code` (`ENOENT`, `EACCES`, …), which the core turns into a status. Deno's
 * OS errors (and node:fs's) already carry one; a refusal of Deno's own permission system
 * (`NotCapable`) does not, nor does its refusal to decode a name (`InvalidData`).
 *
 * @example try { await Deno.stat(path); } catch (error) { throw errorWithCode(error); }
 */
export function errorWithCode(error: unknown): unknown {
  if (!(error instanceof Error) || "code" in error) return error;
  const code = error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied ? "EACCES"
    // Deno refuses to return a name that is not UTF-8 (a real path, a link's target): a file it
    // can only reach under a name it cannot spell is one this adapter cannot check, so absent.
    : error instanceof Deno.errors.NotFound || error instanceof Deno.errors.InvalidData ? "ENOENT"
    : error instanceof Deno.errors.NotADirectory ? "ENOTDIR"
    : error instanceof Deno.errors.FilesystemLoop ? "ELOOP"
    : undefined;
  return code === undefined ? error : Object.assign(error, { code });
}

const ABSENT = new Set(["ENOENT", "ENOTDIR", "ELOOP"]);

/**
 * Whether `error` says the path names nothing servable: missing, through a non-directory, or a
 * symlink loop. Such a path is as absent as a missing one (`stat` answers null, a listing skips it).
 *
 * @example if (isAbsent(error)) return null;
 */
export function isAbsent(error: unknown): boolean {
  const coded = errorWithCode(error);
  return coded instanceof Error && "code" in coded && ABSENT.has(String(coded.code));
}

/**
 * A "not found" error, for a file that exists but must not be served (outside the root, not a
 * regular file): the core answers it like a missing file, 404.
 *
 * @example throw notFound("escape.txt");
 */
export function notFound(path: string): Error & { code: string } {
  return Object.assign(new Error(`not servable: ${path}`), { code: "ENOENT" });
}
