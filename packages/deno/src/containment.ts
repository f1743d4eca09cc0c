/**
 * Symlink containment: whether the real path of something under the root is still under the root.
 * Deno's own calls for what @simplehttp/disk's containment.ts does on node:fs: Deno's realpath
 * throws on a real path that is not UTF-8, where node:fs writes U+FFFD, so there is no byte form.
 *
 * @module
 */
import { isAbsent } from "@simplehttp/core";
import { errorWithCode } from "./errors.ts";

/** Answers where a path under the root really is, as long as that is inside the root. */
export interface Containment {
  /**
   * The real path (every symlink resolved) of `path`, an absolute path under the root, or `null`
   * when it escapes the root, dangles, loops or is not UTF-8 (then Deno cannot say where it is).
   * Other errors (permission refused, name too long) are thrown, with a POSIX `code`.
   */
  resolve(path: string): string | null;
  /** Whether `real`, a path with no symlink left in it, is the root or lies under it. */
  contains(real: string): boolean;
}

/**
 * A `Containment` for `root`. The root's own real path is computed on first use and kept (a root
 * that is itself a symlink, as `/tmp` is on macOS, is fine); a failure is not kept, so a root
 * created after the server started still works. Synchronous, as every metadata call of this
 * adapter (see fs.ts).
 *
 * @example
 * ```ts
 * const inside = containment("/srv/www");
 * inside.resolve("/srv/www/escape.txt"); // null when it links to /etc/passwd
 * ```
 */
export function containment(root: string): Containment {
  let rootReal: string | undefined;
  const realRoot = (): string => {
    try {
      if (rootReal === undefined) rootReal = Deno.realPathSync(root);
      return rootReal;
    } catch (error) {
      throw errorWithCode(error);
    }
  };

  return {
    resolve(path) {
      let real: string;
      try {
        // Exact, unlike Node's: where the real path is not UTF-8 Deno throws (InvalidData, absent
        // here) instead of writing U+FFFD, so a sibling `www\xff` never reads as a root `www\u{FFFD}`.
        real = Deno.realPathSync(path);
      } catch (error) {
        const coded = errorWithCode(error);
        if (isAbsent(coded)) return null; // dangling, a loop, gone meanwhile, or not UTF-8
        throw coded;
      }
      return isInside(real, realRoot()) ? real : null;
    },
    contains: (real) => isInside(real, realRoot()),
  };
}

function isInside(real: string, base: string): boolean {
  if (real === base) return true;
  const separator = Deno.build.os === "windows" ? "\\" : "/";
  return real.startsWith(base.endsWith(separator) ? base : base + separator);
}
