/**
 * Symlink containment: whether the real target of a path lies inside the served root.
 *
 * Synchronous on purpose: `realpath(3)` on a local path takes a few microseconds, less than a
 * round trip through libuv's thread pool (see open.ts).
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { sep } from "node:path";
import { isAbsent } from "@simplehttp/core";

/** Answers where a path really leads, if that is inside the root. */
export interface Containment {
  /**
   * The real path of `path` (every symlink resolved) when it is the root or lies under it;
   * `null` when it escapes the root, dangles, loops or runs through a non-directory. Other
   * errors (`EACCES`, `ENAMETOOLONG`, …) are thrown, so the handler maps them to a status.
   * Bytes when the path was given as bytes or its real path shows U+FFFD ({@link lossy}).
   */
  realInside(path: string | Buffer): string | Buffer | null;
  /**
   * Whether `real`, a path with no symlink left in it, is the root or lies under it. A string
   * showing U+FFFD may have been decoded lossily ({@link lossy}) and is refused: pass its bytes.
   */
  contains(real: string | Buffer): boolean;
}

/**
 * Whether a path string from the system may stand for other bytes: Node and Bun decode paths as
 * UTF-8 and put U+FFFD for bytes that are not, so `/srv/www\xff` reads as `/srv/www\u{FFFD}`.
 * Then only its bytes tell what it is (a name may hold U+FFFD itself, which costs only the
 * byte re-read).
 *
 * @example
 * ```ts
 * lossy("/srv/www\u{FFFD}/a.txt"); // true: read it again as bytes
 * ```
 */
export function lossy(path: string): boolean {
  return path.includes("\uFFFD");
}

/**
 * Containment in `root` (an absolute path). The root's own real path is computed on first use
 * and cached; a failure is not cached, so a root created after the server started still works.
 *
 * @example
 * ```ts
 * const inRoot = containment("/srv/www");
 * inRoot.realInside("/srv/www/link-to-etc-passwd"); // null
 * ```
 */
export function containment(root: string): Containment {
  let realRoot: string | undefined;
  let prefix = "";
  let rootBytes: Buffer | undefined;
  let prefixBytes: Buffer | undefined;
  // `real` is the root itself or under it: a plain prefix test would let `/srv/www-evil` pass
  // for `/srv/www`. The root `/` already ends with the separator.
  const inside = (real: string): boolean => {
    if (realRoot === undefined) {
      realRoot = realpathSync.native(root);
      prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
    }
    return real === realRoot || real.startsWith(prefix);
  };
  // The same on bytes, for real paths that are not UTF-8 or show U+FFFD: a root named
  // `www\u{FFFD}` must not take its sibling `www\xff` for inside, though both read the same.
  const insideBytes = (real: Buffer): boolean => {
    if (rootBytes === undefined || prefixBytes === undefined) {
      rootBytes = realpathSync.native(root, { encoding: "buffer" });
      prefixBytes = rootBytes.at(-1) === SLASH ? rootBytes : Buffer.concat([rootBytes, Buffer.of(SLASH)]);
    }
    if (real.equals(rootBytes)) return true;
    return real.length > prefixBytes.length && real.subarray(0, prefixBytes.length).equals(prefixBytes);
  };

  return {
    realInside(path) {
      try {
        // .native: the C library's realpath, one call (Bun's other one walks the path in steps).
        // A Buffer path (a name that is not UTF-8) is resolved as bytes straight away; a string
        // one again as bytes when its real path shows U+FFFD (see lossy()).
        const real = typeof path === "string" ? realpathSync.native(path) : null;
        if (real !== null && !lossy(real)) return inside(real) ? real : null;
        const bytes = realpathSync.native(path, { encoding: "buffer" });
        return insideBytes(bytes) ? bytes : null;
      } catch (error) {
        if (isAbsent(error)) return null;
        throw error;
      }
    },
    // A string showing U+FFFD may stand for any bytes: refused, as callers pass such paths as bytes.
    contains: (real) => (typeof real === "string" ? !lossy(real) && inside(real) : insideBytes(real)),
  };
}

const SLASH = sep.charCodeAt(0);
