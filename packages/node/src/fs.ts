/**
 * A `FileSystem` on `node:fs`. Metadata, listings and small files use synchronous calls (see
 * open.ts for why); large files stream through libuv's thread pool.
 *
 * @module
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import { join, resolve } from "node:path";
import type { DirEntry, FileStat, FileSystem } from "@simplehttp/core";
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
 * ever opened (a FIFO, socket or device is refused without blocking). Nothing is cached: every
 * request sees the disk as it is.
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

  // The stat of `target` (symlinks followed), or null when it must be treated as missing. The stat
  // comes first: a missing path, the common miss, costs one call and no exception.
  const statInside = (target: string): Stats | null => {
    try {
      const stats = statSync(target, { throwIfNoEntry: false });
      if (stats === undefined || (inRoot !== null && inRoot.realInside(target) === null)) return null;
      return stats;
    } catch (error) {
      if (isUnresolvable(error)) return null;
      throw error;
    }
  };

  return {
    async stat(path) {
      const stats = statInside(full(path));
      return stats === null ? null : toFileStat(stats);
    },

    async read(path, range) {
      return readBody(openVerified(full(path), inRoot), range);
    },

    async readDir(path) {
      const dir = full(path);
      if (inRoot !== null && inRoot.realInside(dir) === null) throw refused(path, "outside the root");
      const rows: DirEntry[] = [];
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const target = join(dir, entry.name);
        // Only a symlink can lead out of a directory already inside the root, so only those pay
        // for a realpath; dangling, looping or unreadable entries are left out, never a broken listing.
        const stats = entry.isSymbolicLink() ? safely(() => statInside(target)) : safely(() => statSync(target, { throwIfNoEntry: false }) ?? null);
        if (stats) rows.push({ name: entry.name, stat: toFileStat(stats) });
      }
      return rows;
    },
  };
}

function safely(stat: () => Stats | null): Stats | null {
  try {
    return stat();
  } catch {
    return null;
  }
}

function toFileStat(stats: Stats): FileStat {
  return {
    kind: stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other",
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}
