/**
 * The `FileSystem` on `node:fs` that @simplehttp/node and @simplehttp/bun both are. Metadata,
 * the checks, listings and the opening of files are synchronous (see open.ts for why); each
 * adapter supplies one hook, how an opened file becomes a body.
 *
 * @module
 */
import { closeSync, lstatSync, type Stats, statSync } from "node:fs";
import {
  type ByteRange,
  type DirEntry,
  eachInTurns,
  type FileBody,
  type FileStat,
  type FileSystem,
  heldFiles,
  isAbsent,
  notServable,
  rootAbsences,
  rootStateOf,
} from "@simplehttp/core";
import { removeStaleTemps } from "./cleanup.js";
import { containment } from "./containment.js";
import { entryNames, entryPath, rootPaths } from "./names.js";
import { openEntry, openVerified, type VerifiedFile } from "./open.js";
import { listedStat, statInside, toFileStat } from "./stats.js";
import { isTempName } from "./temp.js";
import { diskWrites } from "./writes.js";

const LINUX = process.platform === "linux";

const statOf = (stats: Stats | null): FileStat | null => (stats === null ? null : toFileStat(stats));

/** An open refused for what the entry is, not where it is: a stat can still say what it names. */
function cannotOpen(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  return code === "EACCES" || code === "ENXIO";
}

/** Options of {@link diskFileSystem}. */
export interface DiskFileSystemOptions {
  /**
   * Follow every symlink, wherever it points. Off, a symlink is followed only when its real
   * target is inside the root; one that escapes (or dangles, or loops) is missing and unlisted.
   * @default false
   * @example true
   */
  followSymlinks?: boolean;
  /**
   * Whether the check on an opened file asks /proc/self/fd first (step 3 of open.ts). Off, the
   * portable check decides, as it does off Linux: for the tests of that check.
   * @default true on Linux, false elsewhere
   * @example false
   */
  viaProc?: boolean;
  /**
   * Take writes (the core's `write` option then works on it): files put, folders made, removed,
   * moved and copied, each whole or not at all and inside the root (docs/writes.md). It also starts
   * a walk of the tree that removes the temporary files a crashed process left (cleanup.ts); a
   * filesystem without writes does neither.
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
 * How an adapter turns a verified open file into the body of bytes `range.start`..`range.end`.
 * It owns `file.fd` from then on: it closes it, or hands it to a body that will.
 */
export type BodyHook = (file: VerifiedFile, range: ByteRange) => FileBody;

/**
 * Serves the files under `root` (resolved against the current directory). Only regular files are
 * ever opened (a FIFO, socket or device is refused without blocking), and with `followSymlinks`
 * off, only files proven inside the root (open.ts). Nothing is cached: every request sees the
 * disk as it is. `stat()` opens and checks a regular file and holds its descriptor for the
 * `read()` that usually follows (core's heldFiles): one open per request, and the bytes sent are
 * those of the file whose size and validators went out.
 *
 * @param root the directory to serve
 * @param options whether to follow every symlink, and to take writes
 * @param body the adapter's hook: an opened file and a range → a body
 * @example
 * ```ts
 * const fs = diskFileSystem("./public", {}, ({ fd }, range) => readAndClose(fd, range));
 * ```
 */
export function diskFileSystem(root: string, options: DiskFileSystemOptions, body: BodyHook): FileSystem {
  const paths = rootPaths(root);
  const { base, full } = paths;
  const { followSymlinks = false, viaProc = LINUX, writable = false, onCleaned } = options;
  const inRoot = followSymlinks ? null : containment(base);
  const held = heldFiles<VerifiedFile>((file) => closeSync(file.fd));
  const absences = rootAbsences(
    () => {
      const root = statSync(base, { throwIfNoEntry: false });
      return root === undefined ? "" : rootStateOf(root.dev, root.ino, root.mtimeMs);
    },
    (name) => {
      try {
        return lstatSync(full(name), { throwIfNoEntry: false }) !== undefined;
      } catch {
        return true; // what cannot be told is not recorded
      }
    },
  );

  /** What `target` names: its stat, a regular file opened and held for the read(); null when nothing. */
  const lookup = (target: string | Buffer): FileStat | null => {
    try {
      if (inRoot === null) return statOf(statInside(target, null));
      // Opened, not stat'ed first (open.ts's openEntry says why). A regular file is held open
      // for the read() that usually follows: the bytes sent are those the stat describes.
      const { stats, file } = openEntry(target, inRoot, viaProc);
      const stat = toFileStat(stats);
      if (file !== null) held.keep(stat, file);
      return stat;
    } catch (error) {
      if (isAbsent(error)) return null;
      // Nothing opened to tell (a folder that may not be read, a socket): the stat decides.
      if (!cannotOpen(error)) throw error;
      const stats = statInside(target, null);
      return stats === null || inRoot?.realInside(target) === null ? null : toFileStat(stats);
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

    async read(path, range, stat) {
      return body(held.take(stat) ?? openVerified(full(path), inRoot, viaProc), range);
    },

    async readDir(path) {
      // Checked again (it may have been swapped for a link since the handler's stat), and listed
      // where it really is.
      const target = full(path);
      const dir = inRoot === null ? target : inRoot.realInside(target);
      if (dir === null) throw notServable(target, "outside the root");
      const pathOf = entryPath(dir);
      const rows: DirEntry[] = [];
      // A huge folder's stats take a while: other requests get in between batches of them.
      await eachInTurns(entryNames(dir), (name) => {
        // A write in progress (or one a crash left) is never shown (temp.ts).
        if (isTempName(name)) return;
        const stats = listedStat(pathOf(name), inRoot);
        if (stats !== null) rows.push({ name, stat: toFileStat(stats) });
      });
      return rows;
    },

    ...(writable ? { writes: diskWrites(paths, inRoot, viaProc) } : {}),
  };
}
