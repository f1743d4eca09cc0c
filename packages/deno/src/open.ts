/// <reference types="node" />
/**
 * Opening a file to serve, by the rule written once in @simplehttp/disk's open.ts (the verified
 * open: non-blocking, a regular file, proven inside the root through /proc/self/fd or by realpath
 * and lstat), here with Deno's own calls; plus the descriptor-level read and close the bodies use.
 *
 * Deno.open takes no open(2) flags, and opening a FIFO for reading blocks until a writer comes (a
 * thread of Deno's pool stuck, a request never answered). Deno's node:fs passes `O_NONBLOCK`
 * through, so the descriptors here come from node:fs; `read` on them is positional (pread), so a
 * read never depends on, or moves, a shared file offset.
 *
 * Where Deno cannot follow the rule to the letter:
 * - It will not return a name that is not UTF-8 (readLink and realPath throw InvalidData): a file
 *   reached only under such a name cannot be proven inside, so it is not served.
 * - It gives device and inode numbers as JavaScript numbers, rounded past 2^53 (its stat joins
 *   two 32-bit halves; node:fs's `bigint` stats under Deno are BigInt of that number, measured on
 *   Deno 2.9.6). Equal rounded numbers prove nothing, so there the portable check also asks for
 *   the same change time (ctime), which no process can set, only move to the present.
 *
 * @module
 */
import { close, closeSync, constants, fstatSync, openSync, read } from "node:fs";
import { notServable } from "@simplehttp/core";
import type { Containment } from "./containment.ts";
import { errorWithCode } from "./errors.ts";

// O_NONBLOCK does not exist on Windows (nor do FIFOs there); on a regular file it changes nothing.
const READ_ONLY = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/** Where Linux names the file behind each descriptor; null elsewhere. */
export const PROC_FD = Deno.build.os === "linux" ? "/proc/self/fd/" : null;
// What Linux appends to the /proc name of a file unlinked since it was opened.
const DELETED = " (deleted)";
// Opens of a file replaced each time between its open and its proof, before it is refused.
const REOPENS = 3;

/** What the adapter needs to know of an opened file. */
export interface OpenedStats {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  /** Undefined where the platform keeps no time (Deno Deploy's `mtime` is null). */
  mtimeMs: number | undefined;
  /** Device and inode, null where the system has none (Windows). */
  dev: number | null;
  ino: number | null;
  /** The change time, to tell files apart where the numbers above are rounded. */
  ctimeMs: number | undefined;
}

type Callback<T> = (error: Error | null, value: T) => void;
const call = <T>(start: (done: Callback<T>) => void): Promise<T> =>
  new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));

/**
 * Opens `path` (an absolute path under the root) for reading and returns its descriptor and stat,
 * once the open file is known to be a regular file and, with `inside`, a file inside the root.
 * Otherwise the descriptor is closed again and the error thrown has a POSIX `code` (`ENOENT` for
 * a refusal, so the core answers 404). Synchronous, as every metadata call here (see fs.ts).
 *
 * @example const { fd } = openFile("/srv/www/a.txt", containment("/srv/www"));
 */
export function openFile(path: string, inside: Containment | null): { fd: number; stats: OpenedStats } {
  const { fd, stats } = openChecked(path, inside, false);
  if (fd === null) throw notServable(path, "not a regular file");
  return { fd, stats };
}

/**
 * What `path` names, found by opening it rather than by a stat before the open (one call fewer
 * for a file, which most lookups find; @simplehttp/disk's openEntry does the same): a regular file
 * comes back open and proven inside the root, as from openFile; anything else comes back closed,
 * as its stats alone (`fd` null), for the caller to decide on. A path that cannot be opened
 * throws, with the open's code: `ENXIO` for a socket, `EACCES` for a folder that may not be read.
 *
 * @example const { fd, stats } = openEntry("/srv/www/docs", containment("/srv/www")); // fd null: a folder
 */
export function openEntry(path: string, inside: Containment): { fd: number | null; stats: OpenedStats } {
  return openChecked(path, inside, true);
}

/** openFile's steps; with `others`, what is not a regular file is answered with its stats, not refused. */
function openChecked(path: string, inside: Containment | null, others: boolean) {
  for (let attempt = 1; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = others ? openSync(path, READ_ONLY) : openServable(path);
      const stats = statOpened(fd);
      if (!stats.isFile && others) {
        const opened = fd;
        fd = undefined;
        closeSync(opened);
        return { fd: null, stats };
      }
      if (!stats.isFile) throw notServable(path, "not a regular file"); // a FIFO or a device: never read
      if (!inside || (procInside(fd, inside) ?? sameFileInside(path, stats, inside))) return { fd, stats };
      // Replaced by a write since the open (no name left): opened again (the disk's open.ts, step 3).
      if (attempt < REOPENS && fstatSync(fd).nlink === 0) {
        closeSync(fd);
        continue;
      }
      throw notServable(path, "outside the root");
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      throw errorWithCode(error);
    }
  }
}

/** The descriptor, without ever waiting on a FIFO; ENXIO (a socket) is not servable. */
function openServable(path: string): number {
  try {
    return openSync(path, READ_ONLY);
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    throw code === "ENXIO" ? notServable(path, "not a regular file") : error;
  }
}

/** Cleared once a stat through /proc is refused (see statOpened). */
let procStatUsable = true;

/**
 * The stat of the file behind `fd`. On Linux it is Deno's own stat of /proc/self/fd/N, which the
 * kernel resolves to the open file itself (even one unlinked since): the same answer as fstat.
 * node:fs's fstatSync costs more under Deno, most of it building a `Stats` object (measured:
 * docs/performance.md#measurements-behind-design-choices).
 */
function statOpened(fd: number): OpenedStats {
  if (procStatUsable && PROC_FD !== null) {
    try {
      const info = Deno.statSync(PROC_FD + fd);
      const { isFile, isDirectory, size, dev, ino } = info;
      return { isFile, isDirectory, size, mtimeMs: info.mtime?.getTime(), dev, ino, ctimeMs: info.ctime?.getTime() };
    } catch {
      // No /proc, or Deno's permissions cover only the root (`--allow-read=./public`). Neither
      // changes while the process runs, and a refused stat costs an exception: stop trying.
      procStatUsable = false;
    }
  }
  const stats = fstatSync(fd);
  const { size, mtimeMs, dev, ino, ctimeMs } = stats;
  return { isFile: stats.isFile(), isDirectory: stats.isDirectory(), size, mtimeMs, dev, ino, ctimeMs };
}

/**
 * Whether the file open as `fd`, opened by `path`, lies inside the root: by its /proc name, else
 * by the portable check (the rule of @simplehttp/disk's open.ts, step 3). Writes prove the
 * temporary file they created this way (temp.ts).
 *
 * @example if (!openedInside(path, fd, inside)) throw notServable(path, "outside the root");
 */
export function openedInside(path: string, fd: number, inside: Containment): boolean {
  return procInside(fd, inside) ?? sameFileInside(path, statOpened(fd), inside);
}

/**
 * Whether the file behind `fd` is inside, by its /proc name; null where /proc cannot tell (no
 * /proc, or a name unlinked since the open): then the portable check decides.
 */
function procInside(fd: number, inside: Containment): boolean | null {
  if (PROC_FD === null) return null;
  let opened: string;
  try {
    opened = Deno.readLinkSync(PROC_FD + fd);
  } catch (error) {
    // The kernel's name is not UTF-8, which Deno will not decode: nothing here can show it inside.
    if (error instanceof Deno.errors.InvalidData) return false;
    return null; // no /proc (a sandbox, a container without it): the portable check instead
  }
  return opened.endsWith(DELETED) ? null : inside.contains(opened);
}

/** The portable check: the real path lies inside and its lstat is the opened file's. */
function sameFileInside(path: string, opened: OpenedStats, inside: Containment): boolean {
  const real = inside.resolve(path);
  if (real === null) return false;
  // lstat, not stat: a real path whose last part was since made a symlink must not match.
  const named = Deno.lstatSync(real);
  // Where the system has no inode number (Windows), Deno says null, and only the realpath check remains.
  if (named.ino === null) return true;
  if (named.dev !== opened.dev || named.ino !== opened.ino) return false;
  // Numbers past 2^53 come rounded (see above): equal, they may still be two files.
  const exact = Number.isSafeInteger(named.dev) && Number.isSafeInteger(named.ino);
  const changed = named.ctime?.getTime();
  return exact || (changed !== undefined && changed === opened.ctimeMs);
}

/**
 * Reads into `buffer` from byte `position` of the file, and resolves with the count (0 at the end).
 *
 * @example const count = await readAt(fd, new Uint8Array(65536), 1_000_000);
 */
export function readAt(fd: number, buffer: Uint8Array, position: number): Promise<number> {
  return call<number>((done) => read(fd, buffer, 0, buffer.length, position, done));
}

/**
 * Closes `fd`, ignoring errors: by then the response is decided and nothing could be done anyway.
 *
 * @example try { return await readAt(fd, bytes, 0); } finally { closeFile(fd); }
 */
export function closeFile(fd: number): void {
  close(fd, () => {});
}
