/**
 * The disk's writes (core's FileWrites), as diskFileSystem gives them with `writable`: put
 * (write.ts), mkdir, remove, move and copy (tree.ts), each path placed inside the root (places.ts).
 * The rules are in docs/writes.md; each module says how it keeps them.
 *
 * @module
 */
import type { FileWrites } from "@simplehttp/core";
import type { Containment } from "./containment.js";
import type { RootPaths } from "./names.js";
import { places } from "./places.js";
import { treeWrites } from "./tree.js";
import { putter } from "./write.js";

/**
 * The writes under `paths`' root.
 *
 * @param paths the root and the system's path for each core path (names.ts)
 * @param inRoot the root's containment, or null when every symlink is followed
 * @param viaProc whether what is opened and created is proven inside through /proc/self/fd first
 * @returns the root's {@link FileWrites}
 * @example
 * ```ts
 * const writes = diskWrites(rootPaths("/srv/www"), containment("/srv/www"), true);
 * await writes.mkdir("docs");
 * ```
 */
export function diskWrites(paths: RootPaths, inRoot: Containment | null, viaProc: boolean): FileWrites {
  const placeOf = places(paths, inRoot);
  return { put: putter(placeOf, inRoot, viaProc), ...treeWrites(placeOf, { inRoot, viaProc }) };
}
