/**
 * The disk's writes (core's FileWrites), as diskFileSystem gives them with `writable`: put
 * (write.ts), mkdir, remove, move and copy (tree.ts), resumable uploads (partial.ts), each path
 * placed inside the root (places.ts).
 * The rules are in docs/writes.md; each module says how it keeps them.
 *
 * @module
 */
import { type FileWrites, type PartialWritesOptions, partialWrites } from "@simplehttp/core";
import type { Containment } from "./containment.js";
import type { RootPaths } from "./names.js";
import { diskPartialFiles } from "./partial.js";
import { places } from "./places.js";
import { treeWrites } from "./tree.js";
import { putter } from "./write.js";

/**
 * The writes under `paths`' root.
 *
 * @param paths the root and the system's path for each core path (names.ts)
 * @param inRoot the root's containment, or null when every symlink is followed
 * @param viaProc whether what is opened and created is proven inside through /proc/self/fd first
 * @param partial the clock and idle time of resumable uploads (core's partialWrites)
 * @returns the root's {@link FileWrites}
 * @example
 * ```ts
 * const writes = diskWrites(rootPaths("/srv/www"), containment("/srv/www"), true);
 * await writes.mkdir("docs");
 * ```
 */
export function diskWrites(
  paths: RootPaths,
  inRoot: Containment | null,
  viaProc: boolean,
  partial?: PartialWritesOptions,
): FileWrites {
  const placeOf = places(paths, inRoot);
  return {
    put: putter(placeOf, inRoot, viaProc),
    ...treeWrites(placeOf, { inRoot, viaProc }),
    partial: partialWrites(diskPartialFiles(placeOf, inRoot, viaProc), partial),
  };
}
