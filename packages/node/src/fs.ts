/**
 * A `FileSystem` on `node:fs`. Metadata, listings and small files use synchronous calls (see
 * open.ts for why); large files stream through libuv's thread pool.
 *
 * @module
 */
import { closeSync, lstatSync, readdirSync, statSync, type Stats } from "node:fs";
import { resolve, sep } from "node:path";
import { eachInTurns, hasRawBytes, heldFiles, nameBytes, nameFromBytes, type DirEntry, type FileStat, type FileSystem } from "@simplehttp/core";
import { containment, isUnresolvable, lossy, refused } from "./containment.js";
import { BUFFERED_MAX, openVerified, readBody } from "./open.js";

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
export function nodeFileSystem(root: string, options: NodeFileSystemOptions = {}): FileSystem {
  return fileSystemWithBodies(root, options, BUFFERED_MAX);
}

/**
 * {@link nodeFileSystem}, with bodies over `bufferedMax` bytes given as a NodeFileBody instead
 * of bytes. serve() sets it low: it sends such bodies itself from pooled buffers, and a
 * fresh 64 KiB buffer per response (its page faults, its garbage) costs more than the read.
 */
export function fileSystemWithBodies(root: string, { followSymlinks = false }: NodeFileSystemOptions, bufferedMax: number): FileSystem {
  const base = resolve(root);
  // Concatenation, not join(): the core's paths are already checked segments (no `.`, `..` or
  // empty ones), so there is nothing to normalise, and join() costs a few percent of a 404.
  const prefix = base.endsWith(sep) ? base : base + sep;
  const prefixBytes = Buffer.from(prefix);
  // A name that is not UTF-8 reaches the disk as its own bytes (see core's names.ts).
  const full = (path: string): string | Buffer => (path === "" ? base : hasRawBytes(path) ? Buffer.concat([prefixBytes, nameBytes(path)]) : prefix + path);
  const inRoot = followSymlinks ? null : containment(base);

  const opened = heldFiles<number>(closeSync);

  // The stat of `target` (symlinks followed), or null when it must be treated as missing. The stat
  // comes first: a missing path, the common miss, costs one call and no exception.
  const statInside = (target: string | Buffer): Stats | null => {
    try {
      const stats = statSync(target, { throwIfNoEntry: false });
      if (stats === undefined || (inRoot !== null && inRoot.realInside(target) === null)) return null;
      return stats;
    } catch (error) {
      if (isUnresolvable(error)) return null;
      throw error;
    }
  };

  // An entry's stat for a listing, or null to leave it out (escaping, dangling, looping,
  // unreadable). lstat, not the dirent type: some filesystems report no type, and a link must not
  // pass unchecked. Only links pay for a realpath, so a large directory costs one lstat per entry.
  const listed = (entry: string | Buffer): Stats | null => {
    try {
      const own = lstatSync(entry);
      return own.isSymbolicLink() ? statInside(entry) : own;
    } catch {
      return null;
    }
  };

  return {
    async stat(path) {
      const target = full(path);
      if (inRoot === null) return toFileStat(statInside(target));
      // A regular file is opened and checked here, as read() would, and its descriptor kept for
      // the read that usually follows: open, fstat and /proc once, instead of a realpath as well.
      try {
        const stats = statSync(target, { throwIfNoEntry: false });
        if (stats === undefined) return null;
        if (!stats.isFile()) return inRoot.realInside(target) === null ? null : toFileStat(stats);
        const file = openVerified(target, inRoot);
        opened.keep(path, file.fd);
        return toFileStat(file.stats);
      } catch (error) {
        if (isUnresolvable(error)) return null;
        throw error;
      }
    },

    async read(path, range) {
      return readBody(opened.take(path) ?? openVerified(full(path), inRoot).fd, range, bufferedMax);
    },

    async readDir(path) {
      const dir = full(path);
      if (inRoot !== null && inRoot.realInside(dir) === null) throw refused(path, "outside the root");
      // Concatenation, not join(): `name` is one entry, and join's normalising walk costs as much
      // as a tenth of each entry's lstat in a large listing.
      const parent = path === "" ? prefix : `${prefix}${path}/`;
      const rows: DirEntry[] = [];
      // A huge folder's stats take a while: other requests get in between batches of them.
      await eachInTurns(entryNames(dir), (name) => {
        const stats = listed(hasRawBytes(path) || hasRawBytes(name) ? full(path === "" ? name : `${path}/${name}`) : parent + name);
        if (stats !== null) rows.push({ name, stat: toFileStat(stats) });
      });
      return rows;
    },
  };
}

/**
 * The names in `dir`, each as core names it: Node decodes names as UTF-8 and puts U+FFFD for
 * bytes that are not, which would name another file or none. Only a directory where U+FFFD shows
 * is read again as bytes, so the common listing pays nothing.
 */
function entryNames(dir: string | Buffer): string[] {
  const names = readdirSync(dir);
  if (!names.some(lossy)) return names;
  return readdirSync(dir, { encoding: "buffer" }).map(nameFromBytes);
}

function toFileStat(stats: Stats | null): FileStat | null;
function toFileStat(stats: Stats): FileStat;
function toFileStat(stats: Stats | null): FileStat | null {
  if (stats === null) return null;
  return {
    kind: stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other",
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}
