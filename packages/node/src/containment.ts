/**
 * Symlink containment: whether the real target of a path lies inside the served root.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { sep } from "node:path";

/** Answers where a path really leads, if that is inside the root. */
export interface Containment {
  /**
   * The real path of `path` (every symlink resolved) when it is the root or lies under it;
   * `null` when it escapes the root, dangles, loops or runs through a non-directory. Other
   * errors (`EACCES`, `ENAMETOOLONG`, …) are thrown, so the handler maps them to a status.
   */
  realInside(path: string | Buffer): string | Buffer | null;
  /** Whether `real`, a path with no symlink left in it, is the root or lies under it. */
  contains(real: string | Buffer): boolean;
}

// What a path that names nothing servable throws: missing, through a file, or a symlink loop.
const UNRESOLVABLE = new Set(["ENOENT", "ENOTDIR", "ELOOP"]);

/**
 * Whether `error` says the path names nothing (so: 404, not 500).
 *
 * @example
 * ```ts
 * await stat(path).catch((error) => (isUnresolvable(error) ? null : Promise.reject(error)));
 * ```
 */
export function isUnresolvable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code !== undefined && UNRESOLVABLE.has(code);
}

/**
 * The error for a path that must not be served: the handler answers 404, as for a missing one.
 *
 * @example
 * ```ts
 * throw refused("fifo", "not a regular file"); // → 404
 * ```
 */
export function refused(path: string | Buffer, why: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${why}: ${String(path)}`), { code: "ENOENT" });
}

/**
 * Containment in `root` (an absolute path). The root's own real path is computed on first use
 * and cached; a failure is not cached, so a root created after the server started still works.
 *
 * Synchronous on purpose: `realpath(3)` on a local path takes a few microseconds, less than a
 * round trip through libuv's thread pool (see fs.ts).
 *
 * @example
 * ```ts
 * const inRoot = containment("/srv/www");
 * inRoot.realInside("/srv/www/link-to-etc-passwd"); // null
 * ```
 */
export function containment(root: string): Containment {
  let rootReal: string | undefined;
  let rootBytes: Buffer | undefined;
  const realRoot = (): string => (rootReal ??= realpathSync.native(root));
  const realRootBytes = (): Buffer => (rootBytes ??= realpathSync.native(root, { encoding: "buffer" }));

  return {
    realInside(path) {
      let real: string;
      try {
        real = realpathSync.native(path);
        // Node decodes a path as UTF-8 with U+FFFD for other bytes: `/srv/www\xff` would then
        // read as a root named `/srv/www\u{FFFD}`. Where U+FFFD shows, compare the bytes.
        if (real.includes(LOSSY)) {
          const bytes = realpathSync.native(path, { encoding: "buffer" });
          return isInsideBytes(bytes, realRootBytes()) ? bytes : null;
        }
      } catch (error) {
        if (isUnresolvable(error)) return null;
        throw error;
      }
      return isInside(real, realRoot()) ? real : null;
    },
    contains(real) {
      return typeof real === "string" && !real.includes(LOSSY) ? isInside(real, realRoot()) : isInsideBytes(Buffer.from(real), realRootBytes());
    },
  };
}

const LOSSY = "\uFFFD";

/** `real` is `base` itself or under it: a plain prefix test would let `/srv/www-evil` pass for `/srv/www`. */
function isInside(real: string, base: string): boolean {
  if (real === base) return true;
  return real.startsWith(base.endsWith(sep) ? base : base + sep);
}

/** {@link isInside} on bytes, for real paths that are not UTF-8. */
function isInsideBytes(real: Buffer, base: Buffer): boolean {
  if (real.equals(base)) return true;
  const slash = sep.charCodeAt(0);
  const under = base.at(-1) === slash ? base : Buffer.concat([base, Buffer.of(slash)]);
  return real.length > under.length && real.subarray(0, under.length).equals(under);
}
