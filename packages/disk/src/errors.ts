/**
 * The errors of writes, in the POSIX terms the core maps to statuses (core's writes.ts lists them).
 *
 * @module
 */

/**
 * An error with a POSIX `code`, as node:fs throws them.
 *
 * @example
 * ```ts
 * throw failure("ESTALE", "docs/a.txt changed since it was checked");
 * ```
 */
export function failure(code: string, what: string): Error & { code: string } {
  return Object.assign(new Error(`${code}: ${what}`), { code });
}

/**
 * The POSIX `code` of a thrown error, or undefined.
 *
 * @example
 * ```ts
 * if (codeOf(error) === "EXDEV") return copyThenRemove();
 * ```
 */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** A path for a message: bytes decoded as UTF-8, with U+FFFD for the rest. */
export function shown(path: string | Buffer): string {
  return typeof path === "string" ? path : path.toString("utf8");
}
