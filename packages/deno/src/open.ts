/// <reference types="node" />
/**
 * Opening a file to serve, without ever blocking on a FIFO, and proving that what was opened is a
 * regular file inside the root; plus the descriptor-level read and close the bodies use.
 *
 * Deno.open takes no open(2) flags, and opening a FIFO for reading blocks until a writer comes (a
 * thread of Deno's pool stuck, a request never answered). Deno's node:fs passes `O_NONBLOCK`
 * through, so the descriptors here come from node:fs; `read` on them is positional (pread), so a
 * read never depends on, or moves, a shared file offset.
 *
 * @module
 */
import { close, closeSync, constants, fstatSync, openSync, read } from "node:fs";
import type { Containment } from "./containment.ts";
import { errorWithCode, notFound } from "./errors.ts";

// O_NONBLOCK does not exist on Windows (nor do FIFOs there); on a regular file it changes nothing.
const READ_ONLY = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
/** Where Linux names the file behind each descriptor; null elsewhere. */
export const PROC_FD = Deno.build.os === "linux" ? "/proc/self/fd/" : null;

/** What the adapter needs to know of an opened file. */
export interface OpenedStats {
  isFile: boolean;
  size: number;
  /** Undefined where the platform keeps no time (Deno Deploy's `mtime` is null). */
  mtimeMs: number | undefined;
  /** Device and inode, null where the system has none (Windows). */
  dev: number | null;
  ino: number | null;
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
 * The check runs on the opened descriptor, so swapping a symlink after it cannot change what is
 * read. On Linux, /proc/self/fd names the file behind the descriptor: the kernel's answer, which
 * no swap of any path component can fool. Elsewhere the descriptor is pinned against an lstat of
 * the path's real location (dev and inode); what that cannot see is a directory of the real path
 * renamed into a symlink between realpath and lstat, which needs write access inside the root and
 * two won races.
 *
 * @example const { fd } = openFile("/srv/www/a.txt", containment("/srv/www"));
 */
export function openFile(path: string, inside: Containment | null): { fd: number; stats: OpenedStats } {
  let fd: number | undefined;
  try {
    fd = openSync(path, READ_ONLY);
    const stats = statOpened(fd);
    if (!stats.isFile) throw notFound(path); // a FIFO, socket or device: never read
    if (inside && !(procInside(fd, inside) ?? sameFileInside(path, stats, inside))) throw notFound(path);
    return { fd, stats };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw errorWithCode(error);
  }
}

/** Cleared once a stat through /proc is refused (see statOpened). */
let procStatUsable = true;

/**
 * The stat of the file behind `fd`. On Linux it is Deno's own stat of /proc/self/fd/N, which the
 * kernel resolves to the open file itself (even one unlinked since): the same answer as fstat.
 * node:fs's fstatSync costs a third more under Deno, most of it building a `Stats` object (the
 * largest JavaScript cost of a 1 KiB response in a profile under load).
 */
function statOpened(fd: number): OpenedStats {
  if (procStatUsable && PROC_FD !== null) {
    try {
      const info = Deno.statSync(PROC_FD + fd);
      return { isFile: info.isFile, size: info.size, mtimeMs: info.mtime?.getTime(), dev: info.dev, ino: info.ino };
    } catch {
      // No /proc, or Deno's permissions cover only the root (`--allow-read=./public`). Neither
      // changes while the process runs, and a refused stat costs an exception: stop trying.
      procStatUsable = false;
    }
  }
  const stats = fstatSync(fd);
  return { isFile: stats.isFile(), size: stats.size, mtimeMs: stats.mtimeMs, dev: stats.dev, ino: stats.ino };
}

/** Whether the file behind `fd` is inside, by its /proc name; null where there is no /proc. */
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
  return inside.contains(opened);
}

function sameFileInside(path: string, opened: OpenedStats, inside: Containment): boolean {
  const real = inside.resolve(path);
  if (real === null) return false;
  // lstat, not stat: a real path whose last part was since made a symlink must not match. (Where
  // the system has no inode number, Deno says null, and only the realpath check remains.)
  const target = Deno.lstatSync(real);
  return target.ino === null || (target.dev === opened.dev && target.ino === opened.ino);
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
