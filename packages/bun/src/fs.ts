/**
 * A `FileSystem` on Bun: file bodies are `Bun.file()` slices, which Bun sends with sendfile.
 *
 * Metadata calls are synchronous on purpose. Bun 1.4 closes a connection that has a second
 * pipelined request waiting while the fetch handler is suspended on real I/O (oven-sh/bun#38128);
 * a handler that settles within microtasks is not affected. A stat is one short syscall on a
 * local disk, and Bun's own `BunFile.exists()` stats synchronously too.
 *
 * @module
 */
import { closeSync, lstatSync, readdirSync, statSync, type Stats } from "node:fs";
import { resolve, sep } from "node:path";
import { eachInTurns, hasRawBytes, heldFiles, nameBytes, nameFromBytes, type DirEntry, type FileBody, type FileStat, type FileSystem } from "@simplehttp/core";
import { containment, isMissing, lossy, notFound } from "./containment.js";
import { checkedPath, openChecked, readAndClose, type CheckedFile } from "./open.js";

// Bodies up to this size are read into memory and sent in one write; larger ones are Bun.file
// slices, sent with sendfile. Measured in bench/ (1 KiB and 64 KiB files).
const BUFFERED_MAX = 16 * 1024;

/**
 * Options of `bunFileSystem()`.
 *
 * @example
 * ```ts
 * const options: BunFileSystemOptions = { followSymlinks: true };
 * ```
 */
export interface BunFileSystemOptions {
  /**
   * Follow every symlink, wherever it points. Off, a symlink counts only when its real target is
   * inside the root; one that leads out is a 404 and is left out of listings.
   * @default false
   */
  followSymlinks?: boolean;
}

/**
 * Serves the files under `root` (resolved against the current directory).
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { bunFileSystem } from "@simplehttp/bun";
 *
 * const handler = createHandler({ fs: bunFileSystem("./public", { followSymlinks: false }) });
 * Bun.serve({ port: 8000, fetch: handler });
 * ```
 */
export function bunFileSystem(root: string, { followSymlinks = false }: BunFileSystemOptions = {}): FileSystem {
  const base = resolve(root);
  // Concatenation, not join(): the core's paths are already checked segments (no `.`, `..` or
  // empty ones), so there is nothing to normalise, and join() costs a few percent of a 404.
  const prefix = base.endsWith(sep) ? base : base + sep;
  // A name that is not UTF-8 (core carries its bytes as U+DC80–U+DCFF) reaches the disk as its
  // own bytes: given a string, Bun would write each such byte as U+FFFD, naming another file.
  const prefixBytes = Buffer.from(prefix);
  const full = (path: string): string | Buffer => (path === "" ? base : hasRawBytes(path) ? Buffer.concat([prefixBytes, nameBytes(path)]) : prefix + path);
  const guard = followSymlinks ? null : containment(base);
  /** Where `path` really is, or null when it must not be served (escaping, dangling, looping). */
  const located = (path: string | Buffer): string | Buffer | null => (guard === null ? path : guard.realInside(path));
  const opened = heldFiles<CheckedFile>((file) => closeSync(file.fd));

  /** An entry's stat for a listing, or null to leave it out (escaping, dangling, unreadable). */
  const listed = (path: string | Buffer): FileStat | null => {
    try {
      // lstat, not the dirent type: some filesystems report no type, and a link must not pass unchecked.
      const own = lstatSync(path);
      if (!own.isSymbolicLink()) return toFileStat(own);
      // Only links pay for a realpath, so a large directory costs one lstat per entry.
      const target = located(path);
      return target === null ? null : toFileStat(statSync(target));
    } catch {
      return null;
    }
  };

  return {
    async stat(path) {
      try {
        // The stat first: a missing path, the common miss, costs one call and no exception.
        const target = full(path);
        const stats = statSync(target, { throwIfNoEntry: false });
        if (stats === undefined) return null;
        if (guard === null || !stats.isFile()) return located(target) === null ? null : toFileStat(stats);
        // A regular file is opened and checked here, as read() would, and its descriptor held for
        // the read that usually follows: open, fstat and /proc once, instead of a realpath too.
        const file = openChecked(target, guard);
        opened.keep(path, file);
        return toFileStat(file.stats);
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async read(path, range): Promise<FileBody> {
      const held = opened.take(path);
      if (range.end - range.start < BUFFERED_MAX) return readAndClose((held ?? openChecked(full(path), guard)).fd, range);
      // Bun opens the file itself to send it, by the real path the check vouched for. A Bun.file of
      // a missing path makes Bun answer 500 once the response is sent, out of the handler's reach:
      // checkedPath opens the file first, so a file gone since the stat is a 404.
      if (held !== undefined) closeSync(held.fd);
      const real = held?.real ?? checkedPath(full(path), guard);
      // A path in bytes (a name that is not UTF-8) is opened by those very bytes, still with sendfile.
      const file = typeof real === "string" ? Bun.file(real) : Bun.file(new Uint8Array(real));
      // The whole file as it is, unsliced: Bun then sends it as its ceiling does.
      return held !== undefined && range.start === 0 && range.end === held.stats.size - 1 ? file : file.slice(range.start, range.end + 1);
    },

    async readDir(path) {
      const dir = located(full(path));
      if (dir === null) throw notFound(path);
      const entries: DirEntry[] = [];
      const names = typeof dir === "string" ? readdirSync(dir) : [];
      if (typeof dir === "string" && !names.some(lossy)) {
        // Concatenation, not join(): `name` is one entry, and join's normalising walk costs as
        // much as a tenth of each entry's lstat in a large listing.
        const parent = dir.endsWith(sep) ? dir : dir + sep;
        // A huge folder's stats take a while: other requests get in between batches of them.
        await eachInTurns(names, (name) => {
          const stat = listed(parent + name);
          if (stat !== null) entries.push({ name, stat });
        });
        return entries;
      }
      // Bun decodes names as UTF-8 with U+FFFD for other bytes, which would name another file or
      // none: only a directory where U+FFFD shows, or one whose path is bytes, is read as bytes.
      const parent = typeof dir === "string" ? Buffer.from(dir.endsWith(sep) ? dir : dir + sep) : Buffer.concat([dir, Buffer.from(sep)]);
      await eachInTurns(readdirSync(dir, { encoding: "buffer" }), (raw) => {
        const stat = listed(Buffer.concat([parent, raw]));
        if (stat !== null) entries.push({ name: nameFromBytes(raw), stat });
      });
      return entries;
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
