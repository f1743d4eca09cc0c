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
  realInside(path: string | Buffer): string | Buffer | null;
  /**
   * Whether `real`, a path with no symlink left in it, is the root or lies under it. A string
   * showing U+FFFD may have been decoded lossily ({@link lossy}) and is refused: pass its bytes.
   */
  contains(real: string | Buffer): boolean;
}

/**
 * Whether a path string from the kernel may stand for other bytes: Bun decodes paths as UTF-8 and
 * puts U+FFFD for bytes that are not, so `/srv/www\xff` reads as `/srv/www\u{FFFD}`. Then only
 * its bytes tell what it is (a name may hold U+FFFD itself, which costs only the byte re-read).
 *
 * @example
 * ```ts
 * lossy("/srv/www\u{FFFD}/a.txt"); // true: read it again as bytes
 * ```
 */
export function lossy(path: string): boolean {
  return path.includes("\uFFFD");
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
export function notFound(what: string | Buffer): Error {
  return Object.assign(new Error(`not served: ${String(what)}`), { code: "ENOENT" });
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
  let rootBytes: Buffer | undefined;
  let prefixBytes: Buffer | undefined;
  const inside = (real: string): boolean => {
    if (realRoot === undefined) {
      realRoot = realpathSync.native(base);
      // The root `/` already ends with the separator; `/srv/www` must not admit `/srv/www2`.
      prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
    }
    return real === realRoot || real.startsWith(prefix);
  };
  // The same on bytes, for real paths that are not UTF-8 or show U+FFFD: a root named
  // `www\u{FFFD}` must not take its sibling `www\xff` for inside, though both read the same.
  const insideBytes = (real: Buffer): boolean => {
    if (rootBytes === undefined || prefixBytes === undefined) {
      rootBytes = realpathSync.native(base, { encoding: "buffer" });
      prefixBytes = rootBytes.at(-1) === SLASH ? rootBytes : Buffer.concat([rootBytes, Buffer.of(SLASH)]);
    }
    return real.equals(rootBytes) || (real.length > prefixBytes.length && real.subarray(0, prefixBytes.length).equals(prefixBytes));
  };
  return {
    realInside(path) {
      try {
        // .native: the C library's realpath, one call; Bun's other one walks the path in steps.
        // A Buffer path (a name that is not UTF-8) is resolved as bytes straight away.
        const real = typeof path === "string" ? realpathSync.native(path) : null;
        if (real !== null && !lossy(real)) return inside(real) ? real : null;
        const bytes = realpathSync.native(path, { encoding: "buffer" });
        return insideBytes(bytes) ? bytes : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    // A string showing U+FFFD may stand for any bytes: refused, as callers pass such paths as bytes.
    contains: (real) => (typeof real === "string" ? !lossy(real) && inside(real) : insideBytes(real)),
  };
}

const SLASH = sep.charCodeAt(0);
