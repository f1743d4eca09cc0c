/**
 * A `FileSystem` on Deno's file APIs, with files opened through node:fs (see open.ts for why).
 *
 * @module
 */
/// <reference types="node" />
import { closeSync } from "node:fs";
import {
  type DirEntry,
  eachInTurns,
  type FileBody,
  type FileStat,
  type FileSystem,
  heldFiles,
  isAbsent,
  notServable,
  type RootAbsences,
  rootAbsences,
  rootStateOf,
  UPLOAD_TEMP_PREFIX,
} from "@simplehttp/core";
import { removeStaleTemps } from "./cleanup.ts";
import { type Containment, containment } from "./containment.ts";
import { codeOf, errorWithCode } from "./errors.ts";
import { openEntry, openFile } from "./open.ts";
import { rootPaths } from "./paths.ts";
import { boundedStream, nativeToEnd, readExactly } from "./read.ts";
import { denoWrites } from "./writes.ts";

// Below this a range is read into one buffer (one write, no stream machinery); above it the file
// is streamed, so memory stays flat whatever its size.
const BUFFERED_MAX = 256 * 1024;

/** Options of `denoFileSystem()`. */
export interface DenoFileSystemOptions {
  /**
   * Follow every symlink, wherever it points; off, only those whose real target is inside the root.
   * @default false
   * @example true
   */
  followSymlinks?: boolean;
  /**
   * Take writes (the handler's `write` option then works on it): uploads, new folders, removes,
   * moves and copies, each whole or not at all and inside the root (docs/writes.md). Needs
   * `--allow-write` for the root. Also starts a walk of the tree that removes the temporary files a
   * crashed server left (cleanup.ts); a filesystem without writes does neither.
   * @default false
   * @example true
   */
  writable?: boolean;
  /**
   * Called with how many temporary files the walk that `writable` starts removed, once it is done.
   * @default none
   * @example (removed) => removed > 0 && console.log(`removed ${removed} temporary files left by a crash`)
   */
  onCleaned?: (removed: number) => void;
}

/**
 * Serves the files under `root` (resolved against the current directory). Needs `--allow-read`
 * for `root`; a path Deno's permissions forbid answers 403. Deno checks its permissions on the
 * path asked, not on where a symlink leads, so containment is this adapter's job: by default a
 * symlink whose real target is outside the root is as absent as a missing file, and not listed.
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { denoFileSystem } from "@simplehttp/deno";
 *
 * Deno.serve(createHandler({ fs: denoFileSystem("./public", { followSymlinks: false }) }));
 * const shared = denoFileSystem("./inbox", { writable: true });
 * ```
 */
export function denoFileSystem(root: string, options: DenoFileSystemOptions = {}): FileSystem {
  const { followSymlinks = false, writable = false, onCleaned } = options;
  const { base, full } = rootPaths(root);
  const inside = followSymlinks ? null : containment(base);
  const opened = heldFiles<number>(closeSync);
  const absences = absencesUnder(base, full);
  /**
   * What `target` names, with containment. Opened, not stat'ed first (open.ts's openEntry): a
   * regular file is kept open for the read() that usually follows, so the bytes sent are those
   * the stat describes; anything else is found inside the root, or not at all, by its real path.
   */
  const lookup = (target: string): FileStat | null => {
    if (inside === null) return statInside(target, null, false);
    try {
      const { fd, stats } = openEntry(target, inside);
      const found: FileStat = {
        kind: stats.isFile ? "file" : stats.isDirectory ? "directory" : "other",
        size: stats.size,
        mtimeMs: stats.mtimeMs,
      };
      if (fd !== null) opened.keep(found, fd);
      else if (inside.resolve(target) === null) return null;
      return found;
    } catch (error) {
      if (isAbsent(error)) return null;
      // Nothing opened to tell (a folder that may not be read, a socket): the stat decides.
      const code = codeOf(error);
      if (code !== "EACCES" && code !== "ENXIO") throw error;
      const stat = statInside(target, inside, false);
      return stat === null || inside.resolve(target) === null ? null : stat;
    }
  };
  // The clean-up starts once start-up is done, and runs in turns; what it cannot read it leaves.
  if (writable) setTimeout(() => removeStaleTemps(base).then(onCleaned, () => onCleaned?.(0)), 0);

  return {
    async stat(path) {
      // A name missing under the root again and again (the site's 404.html) is not looked up each time.
      return absences.statUnder(path, () => lookup(full(path)));
    },

    knownAbsent: (names) => absences.allMissing(names),

    async read(path, { start, end }, stat): Promise<FileBody> {
      const target = full(path);
      const length = end - start + 1;
      const fd = opened.take(stat) ?? openFile(target, inside).fd;
      // Either body closes the descriptor.
      if (length > BUFFERED_MAX) return nativeToEnd(fd, start, end) ?? boundedStream(fd, start, length);
      try {
        return readExactly(fd, start, length);
      } finally {
        closeSync(fd);
      }
    },

    async readDir(path) {
      // Checked again (it may have been swapped for a link since the handler's stat), and listed
      // where it really is.
      const dir = inside ? inside.resolve(full(path)) : full(path);
      if (dir === null) throw notServable(path, "outside the root");
      try {
        return await listing(dir, inside);
      } catch (error) {
        throw errorWithCode(error);
      }
    },

    ...(writable ? { writes: denoWrites(base, inside) } : {}),
  };
}

/** The record of names missing under the root `base` (core's absences.ts), on Deno's stats. */
function absencesUnder(base: string, full: (path: string) => string): RootAbsences {
  return rootAbsences(
    () => {
      try {
        const { dev, ino, mtime } = Deno.statSync(base);
        return rootStateOf(dev, ino, mtime?.getTime());
      } catch {
        return "";
      }
    },
    (name) => {
      try {
        Deno.lstatSync(full(name));
        return true;
      } catch (error) {
        return !(error instanceof Deno.errors.NotFound); // what cannot be told is not recorded
      }
    },
  );
}

/**
 * The metadata of `path` (symlinks followed), or null when absent or, with `inside` and `isLink`,
 * leading out of the root: the realpath says whether a symlink on the way leads out.
 */
function statInside(path: string, inside: Containment | null, isLink = true): FileStat | null {
  try {
    const info = Deno.statSync(path);
    return inside && isLink && inside.resolve(path) === null ? null : toFileStat(info);
  } catch (error) {
    // Missing, through a regular file (`a.txt/x`), a dangling link or a loop: nothing there.
    const coded = errorWithCode(error);
    if (isAbsent(coded)) return null;
    throw coded;
  }
}

/** The entries of `dir`, a real path, that are there and (with `inside`) lead nowhere out. */
async function listing(dir: string, inside: Containment | null): Promise<DirEntry[]> {
  const rows: DirEntry[] = [];
  // Deno reads a name that is not UTF-8 with U+FFFD for its bytes, and that string names the
  // file really called so, or nothing. Such an entry is looked up by its string alone: listed
  // once, and checked as a link whatever its own type (which may not be the named file's).
  const replaced = new Set<string>();
  // A realpath only for symlinks: a big directory of plain files costs one stat per entry.
  // Whatever cannot be stat'ed (dangling, a loop, refused) or leads out is left out.
  // A huge folder's stats take a while: other requests get in between batches of them.
  await eachInTurns(Deno.readDirSync(dir), ({ name, isSymlink }) => {
    // A write in progress (or one a crash left) is never shown (temp.ts).
    if (name.startsWith(UPLOAD_TEMP_PREFIX)) return;
    const mayBeLossy = name.includes("\uFFFD");
    if (mayBeLossy) {
      if (replaced.has(name)) return;
      replaced.add(name);
    }
    let stat: FileStat | null;
    try {
      stat = statInside(`${dir}/${name}`, inside, isSymlink || mayBeLossy);
    } catch {
      stat = null;
    }
    if (stat) rows.push({ name, stat });
  });
  return rows;
}

function toFileStat(info: Deno.FileInfo): FileStat {
  return {
    kind: info.isFile ? "file" : info.isDirectory ? "directory" : "other",
    size: info.size,
    // Null where the platform keeps no time (Deno Deploy): unknown, not 1970 (RFC 9110 §13.1.3).
    mtimeMs: info.mtime?.getTime(),
  };
}
