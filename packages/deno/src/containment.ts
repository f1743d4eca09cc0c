/**
 * Symlink containment: whether the real path of something under the root is still under the root.
 *
 * @module
 */
import { errorWithCode, isAbsent } from "./errors.ts";

/** Answers where a path under the root really is, as long as that is inside the root. */
export interface Containment {
  /**
   * The real path (every symlink resolved) of `path`, an absolute path under the root, or `null`
   * when it escapes the root, dangles or loops. Other errors (permission refused, name too long)
   * are thrown, with a POSIX `code`.
   */
  resolve(path: string): Promise<string | null>;
}

/**
 * A `Containment` for `root`. The root's own real path is computed on first use and kept (a root
 * that is itself a symlink, as `/tmp` is on macOS, is fine); a failure is not kept, so a root
 * created after the server started still works.
 *
 * @example
 * ```ts
 * const inside = containment("/srv/www");
 * await inside.resolve("/srv/www/escape.txt"); // null when it links to /etc/passwd
 * ```
 */
export function containment(root: string): Containment {
  let rootReal: Promise<string> | undefined;
  const realRoot = (): Promise<string> =>
    (rootReal ??= Deno.realPath(root).catch((error: unknown) => {
      rootReal = undefined;
      throw errorWithCode(error);
    }));

  return {
    async resolve(path) {
      let real: string;
      try {
        real = await Deno.realPath(path);
      } catch (error) {
        if (isAbsent(error)) return null; // dangling, a loop, or gone meanwhile
        throw errorWithCode(error);
      }
      return isInside(real, await realRoot()) ? real : null;
    },
  };
}

/** `real` is `base` itself or under it: `/srv/www2` is not under `/srv/www`. */
function isInside(real: string, base: string): boolean {
  if (real === base) return true;
  const separator = Deno.build.os === "windows" ? "\\" : "/";
  return real.startsWith(base.endsWith(separator) ? base : base + separator);
}
