/**
 * Deno's errors in the POSIX terms the core maps to statuses (and core's isAbsent reads).
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
  const code =
    error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ? "EACCES"
      : // Deno refuses to return a name that is not UTF-8 (a real path, a link's target): a file it
        // can only reach under a name it cannot spell is one this adapter cannot check, so absent.
        error instanceof Deno.errors.NotFound || error instanceof Deno.errors.InvalidData
        ? "ENOENT"
        : error instanceof Deno.errors.NotADirectory
          ? "ENOTDIR"
          : error instanceof Deno.errors.FilesystemLoop
            ? "ELOOP"
            : undefined;
  return code === undefined ? error : Object.assign(error, { code });
}

/**
 * An error with a POSIX `code`, as Deno's own carry one.
 *
 * @example throw failure("ESTALE", "docs/a.txt changed since it was checked");
 */
export function failure(code: string, what: string): Error & { code: string } {
  return Object.assign(new Error(`${code}: ${what}`), { code });
}

/**
 * The POSIX `code` of a thrown error, or undefined.
 *
 * @example if (codeOf(error) === "EXDEV") return copyThenRemove();
 */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
