/**
 * A `FileSystem` on `node:fs/promises`: no synchronous call on the request path.
 *
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DirEntry, FileStat, FileSystem } from "@simplehttp/core";
import type { Stats } from "node:fs";
import { containment, isUnresolvable, refused } from "./containment.js";
import { openVerified, readBody } from "./open.js";

/** Options of {@link nodeFileSystem}. */
export interface NodeFileSystemOptions {
  /**
   * Follow every symlink, wherever it points. Off, a symlink is followed only when its real
   * target is inside the root; one that escapes (or dangles, or loops) is missing and unlisted.
   * @default false
   * @example true
   */
  followSymlinks?: boolean;
}

/**
 * Serves the files under `root` (resolved against the current directory). Only regular files are
 * ever opened (a FIFO, socket or device is refused without blocking).
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { nodeFileSystem } from "@simplehttp/node";
 *
 * const handler = createHandler({ fs: nodeFileSystem("./public") });
 * const trusting = nodeFileSystem("./public", { followSymlinks: true });
 * ```
 */
export function nodeFileSystem(root: string, { followSymlinks = false }: NodeFileSystemOptions = {}): FileSystem {
  const base = resolve(root);
  const full = (path: string): string => (path === "" ? base : join(base, path));
  const inRoot = followSymlinks ? null : containment(base);
  // Where `path` really is, or null when it must be treated as missing.
  const locate = async (path: string): Promise<string | null> => (inRoot ? inRoot.realInside(full(path)) : full(path));

  return {
    async stat(path) {
      try {
        const target = await locate(path);
        return target === null ? null : toFileStat(await stat(target));
      } catch (error) {
        if (isUnresolvable(error)) return null;
        throw error;
      }
    },

    async read(path, range) {
      return readBody(await openVerified(full(path), inRoot), range);
    },

    async readDir(path) {
      const dir = await locate(path);
      if (dir === null) throw refused(path, "outside the root");
      const entries = await readdir(dir, { withFileTypes: true });
      const rows = await Promise.all(
        entries.map(async (entry): Promise<DirEntry | null> => {
          try {
            // Only a symlink can lead out of a directory already inside the root, so only those
            // pay for a realpath: a large directory costs one stat per entry, as before.
            const target = inRoot && entry.isSymbolicLink() ? await inRoot.realInside(join(dir, entry.name)) : join(dir, entry.name);
            return target === null ? null : { name: entry.name, stat: toFileStat(await stat(target)) };
          } catch {
            return null; // dangling, looping or unreadable: left out, never a broken listing
          }
        }),
      );
      return rows.filter((row) => row !== null);
    },
  };
}

function toFileStat(stats: Stats): FileStat {
  return {
    kind: stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other",
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}
