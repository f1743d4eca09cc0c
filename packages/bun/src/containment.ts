/**
 * Symlink containment: whether the real path of an entry is inside the real path of the root.
 *
 * Synchronous, as the rest of the adapter's metadata calls (see fs.ts for why).
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { sep } from "node:path";

/** Answers where a path really leads, but only when that is inside the root. */
export interface Containment {
  /**
   * The real path of `path` (every symlink resolved) when it is the root or under it; `null` when
   * it leads outside, dangles, loops (ELOOP) or runs through a non-directory. Other errors
   * (EACCES, ENAMETOOLONG, …) are thrown for the handler to map to a status.
   */
  realInside(path: string): string | null;
  /** Whether `real`, a path with no symlink left in it, is the root or lies under it. */
  contains(real: string): boolean;
}

/** Codes that mean "nothing servable is there": the handler answers 404 for them. */
const MISSING = new Set(["ENOENT", "ENOTDIR", "ELOOP"]);

/**
 * Whether `error` says the path names nothing (missing, through a file, a symlink loop).
 *
 * @example
 * ```ts
 * isMissing(Object.assign(new Error("loop"), { code: "ELOOP" })); // true
 * ```
 */
export function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && MISSING.has(error.code);
}

/**
 * An error the handler maps to 404, for a path that is there but must not be served.
 *
 * @example
 * ```ts
 * if (!stats.isFile()) throw notFound(path);
 * ```
 */
export function notFound(what: string): Error {
  return Object.assign(new Error(`not served: ${what}`), { code: "ENOENT" });
}

/**
 * Containment for the directory `base` (already absolute). Its real path is taken on first use and
 * kept: the root may not exist yet when the server is created, and resolving it once makes every
 * later check a string comparison plus one realpath of the entry.
 *
 * @example
 * ```ts
 * const guard = containment("/srv/www");
 * guard.realInside("/srv/www/escape.txt"); // null when escape.txt links to /etc/passwd
 * ```
 */
export function containment(base: string): Containment {
  let realRoot: string | undefined;
  let prefix = "";
  const inside = (real: string): boolean => {
    if (realRoot === undefined) {
      realRoot = realpathSync.native(base);
      // The root `/` already ends with the separator; `/srv/www` must not admit `/srv/www2`.
      prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
    }
    return real === realRoot || real.startsWith(prefix);
  };
  return {
    realInside(path) {
      try {
        // .native: the C library's realpath, one call; Bun's other one walks the path in steps.
        const real = realpathSync.native(path);
        return inside(real) ? real : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    contains: inside,
  };
}
