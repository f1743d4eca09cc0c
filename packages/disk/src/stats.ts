/**
 * What a stat and a listing say of an entry under the root.
 *
 * @module
 */
import { lstatSync, type Stats, statSync } from "node:fs";
import type { FileStat } from "@simplehttp/core";
import type { Containment } from "./containment.js";

/**
 * The stat of `target` (symlinks followed), or null when it is missing or, with `inRoot`, leads
 * out of the root. The stat comes first: a missing path, the common miss, costs one call and no
 * exception. Errors other than a missing last component (ENOTDIR, ELOOP, EACCES, …) are thrown.
 *
 * @example
 * ```ts
 * statInside("/srv/www/escape.txt", containment("/srv/www")); // null when it links out
 * ```
 */
export function statInside(target: string | Buffer, inRoot: Containment | null): Stats | null {
  const stats = statSync(target, { throwIfNoEntry: false });
  if (stats === undefined || (inRoot !== null && inRoot.realInside(target) === null)) return null;
  return stats;
}

/**
 * An entry's stat for a listing, or null to leave it out: a link leading out, dangling or
 * looping, or anything that cannot be stat'ed. lstat, not the dirent type: some filesystems
 * report no type, and a link must not pass unchecked. Only links pay a realpath and a stat, so a
 * large directory costs one lstat per entry.
 *
 * @example
 * ```ts
 * const stats = listedStat("/srv/www/dir/a.txt", inRoot);
 * ```
 */
export function listedStat(entry: string | Buffer, inRoot: Containment | null): Stats | null {
  try {
    const own = lstatSync(entry);
    return own.isSymbolicLink() ? statInside(entry, inRoot) : own;
  } catch {
    return null;
  }
}

/**
 * The core's view of a stat.
 *
 * @example
 * ```ts
 * toFileStat(statSync("/srv/www/a.txt")); // { kind: "file", size: 6, mtimeMs: … }
 * ```
 */
export function toFileStat(stats: Stats): FileStat {
  return {
    kind: stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other",
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}
