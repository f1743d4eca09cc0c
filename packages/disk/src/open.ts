/**
 * The verified open: how a disk adapter opens a file to serve, and proves what it opened.
 *
 * This comment is the rule, for every runtime. @simplehttp/node and @simplehttp/bun run the code
 * below; @simplehttp/deno applies the same rule with Deno's own calls (packages/deno/src/open.ts),
 * and one table of cases (test/support/containment-table.ts) checks all three.
 *
 * 1. Open the path read-only and non-blocking (`O_RDONLY | O_NONBLOCK`). Without O_NONBLOCK,
 *    opening a FIFO waits for a writer, and the open is a synchronous call on the server's only
 *    thread. `ENXIO` (a socket, a device without a driver) means not servable: 404.
 * 2. fstat the descriptor: anything but a regular file (a FIFO, a device, a directory) is not
 *    servable: 404, and the descriptor is closed unread.
 * 3. Unless every symlink is followed, prove on the descriptor itself that the opened file lies
 *    inside the root, so no swap of a link before or after the open changes what is read:
 *    - Linux: `/proc/self/fd/N` names the file behind the descriptor, the kernel's own answer in
 *      one call, and that name must lie inside the root. Where /proc cannot tell (not mounted, or
 *      Deno without full read permission), or the name ends in " (deleted)" (unlinked since the
 *      open; or, rarely, a file really so named), the portable check below decides.
 *    - Portable: `realpath(path)` must lie inside the root, and `lstat` of that real path must
 *      give the descriptor's own device and inode numbers, compared exactly. `lstat`, not `stat`:
 *      were the real path's last component swapped for a symlink to the opened file between the
 *      realpath and the stat, `stat` would follow it and match; `lstat` sees a link, which is no
 *      regular file. Exactly: inode numbers past 2^53 occur (overlayfs puts its layer in the top
 *      bits), and as JavaScript numbers two of them may round to one; here they are bigints. What
 *      this check cannot see is a directory on the real path swapped for a symlink and back
 *      twice within these few calls; /proc closes that on Linux.
 *    - A file that has lost its last name since the open (a write renamed a new version over it,
 *      see write.ts) cannot be found by either: it is opened again, twice at most, so a reader
 *      gets the old version or the new one, never a 404 for a file that is there.
 * 4. A runtime that opens the file again by name (Bun sends `Bun.file(path)` itself) uses the
 *    name the proof found: the /proc name or the real path, never the path asked, which may run
 *    through links. With every symlink followed, that is the path asked.
 *
 * Synchronous on purpose: on a local disk each of these calls takes microseconds, while a round
 * trip through libuv's thread pool costs more than the call itself (measured:
 * docs/performance.md#measurements-behind-design-choices). nginx opens files in its event loop the same way.
 *
 * @module
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, type Stats } from "node:fs";
import { notServable } from "@simplehttp/core";
import { type Containment, lossy } from "./containment.js";

// Windows has neither O_NONBLOCK nor FIFOs.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const LINUX = process.platform === "linux";
// What Linux appends to the /proc name of a file unlinked since it was opened.
const DELETED = " (deleted)";
// Opens of a file replaced each time between its open and its proof, before it is refused.
const REOPENS = 3;

/** A regular file opened and proven servable (see the rule above). */
export interface VerifiedFile {
  /** The open descriptor: whoever holds this object closes it. */
  fd: number;
  /** Its fstat. */
  stats: Stats;
  /**
   * The path it may be opened by again (step 4): bytes when the name is not UTF-8 or shows U+FFFD,
   * for `Bun.file()` takes a path as bytes too.
   */
  real: string | Buffer;
}

/**
 * Opens `path` and checks what was opened, by the rule above: a regular file and, unless `inRoot`
 * is null (every symlink followed), one inside the root. On failure the descriptor is closed and
 * an error with `code: "ENOENT"` is thrown (404); other errors (EACCES, EMFILE, …) pass through.
 *
 * @param path an absolute path under the root, as bytes when its name is not UTF-8
 * @param inRoot the root's containment, or null when every symlink is followed
 * @param viaProc whether step 3 asks /proc first; false runs the portable check, as off Linux
 * @returns the open descriptor, its stat and the name it may be opened by again
 * @example
 * ```ts
 * const { fd, stats } = openVerified("/srv/www/a.txt", containment("/srv/www"));
 * ```
 */
export function openVerified(path: string | Buffer, inRoot: Containment | null, viaProc = LINUX): VerifiedFile {
  return openProven(path, inRoot, viaProc, true);
}

/**
 * What `path` names, opened and proven inside the root by the rule above, for a lookup: one open
 * answers what a stat and then an open would each ask (a stat first costs a call more per file
 * served, and each call here costs a server about three times its own time in requests per
 * second: docs/performance.md). A regular file comes back open (the caller owns `fd`); a folder
 * or anything else is proven in the same way, then closed, with its stat. Throws as
 * {@link openVerified} does; and `EACCES` or `ENXIO` when the entry cannot be opened to tell (a
 * folder that may not be read, a socket): then only a stat can say what it is.
 *
 * @param path an absolute path under the root, as bytes when its name is not UTF-8
 * @param inRoot the root's containment (never null: with every symlink followed a stat says all)
 * @param viaProc whether step 3 asks /proc first
 * @returns the stat, and the open file when it is a regular one
 * @example
 * ```ts
 * const { stats, file } = openEntry("/srv/www/a.txt", containment("/srv/www"), true);
 * if (file !== null) closeSync(file.fd);
 * ```
 */
export function openEntry(
  path: string | Buffer,
  inRoot: Containment,
  viaProc: boolean,
): { stats: Stats; file: VerifiedFile | null } {
  const opened = openProven(path, inRoot, viaProc, false);
  if (opened.stats.isFile()) return { stats: opened.stats, file: opened };
  closeSync(opened.fd);
  return { stats: opened.stats, file: null };
}

/** {@link openVerified}; with `filesOnly` false, anything but a regular file is proven and returned open too. */
function openProven(path: string | Buffer, inRoot: Containment | null, viaProc: boolean, filesOnly: boolean) {
  for (let attempt = 1; ; attempt++) {
    const fd = openServable(path, filesOnly);
    try {
      const stats = fstatSync(fd);
      const file = stats.isFile();
      if (!file && filesOnly) throw notServable(path, "not a regular file");
      const real = inRoot === null ? path : located(path, fd, inRoot, viaProc);
      if (real !== null) return { fd, stats, real };
      // No name left for the opened file (a write renamed a new version over it since the open):
      // the proof could not find it, and an open now gets the new version.
      if (file && attempt < REOPENS && fstatSync(fd).nlink === 0) {
        closeSync(fd);
        continue;
      }
      throw notServable(path, "outside the root");
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }
}

/**
 * Step 1: the descriptor, without ever waiting on a FIFO. A missing path, the common miss, throws
 * with no stack: Node builds the error's stack on every throw, which costs more than the open
 * (measured: 5.9 µs a missing open with one, 3.5 without), and no caller reads it. ENXIO (a
 * socket, a device without a driver) is not servable when `filesOnly`.
 */
function openServable(path: string | Buffer, filesOnly: boolean): number {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return openSync(path, OPEN_FLAGS);
  } catch (error) {
    if (filesOnly && typeof error === "object" && error !== null && "code" in error && error.code === "ENXIO") {
      throw notServable(path, "not a regular file");
    }
    throw error;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Step 3: the name the opened file may be opened by again when it lies inside the root, else null.
 * Writes prove the temporary file they created the same way (temp.ts).
 *
 * @param path the path `fd` was opened by
 * @param fd the open descriptor
 * @param inRoot the root's containment
 * @param viaProc whether /proc/self/fd is asked first
 * @returns the file's real name when inside, else null
 * @example
 * ```ts
 * if (located(path, fd, containment("/srv/www"), true) === null) throw notServable(path, "outside the root");
 * ```
 */
export function located(
  path: string | Buffer,
  fd: number,
  inRoot: Containment,
  viaProc: boolean,
): string | Buffer | null {
  const opened = viaProc ? procName(fd) : null;
  if (opened !== null) return inRoot.contains(opened) ? opened : null;
  return sameFileInside(path, fd, inRoot);
}

/** The name /proc gives the file open as `fd`, or null when /proc cannot tell. */
function procName(fd: number): string | Buffer | null {
  const link = `/proc/self/fd/${fd}`;
  let name: string | Buffer;
  try {
    name = readlinkSync(link);
    // U+FFFD may stand for bytes that are not UTF-8 (see containment.ts): then read the bytes.
    if (lossy(name)) name = readlinkSync(link, { encoding: "buffer" });
  } catch {
    return null;
  }
  const deleted = typeof name === "string" ? name.endsWith(DELETED) : name.toString("latin1").endsWith(DELETED);
  return deleted ? null : name;
}

/** The portable check: the real path of `path` when it lies inside and names the very file open as `fd`. */
function sameFileInside(path: string | Buffer, fd: number, inRoot: Containment): string | Buffer | null {
  const real = inRoot.realInside(path);
  if (real === null) return null;
  const [named, opened] = [lstatSync(real, { bigint: true }), fstatSync(fd, { bigint: true })];
  return named.dev === opened.dev && named.ino === opened.ino ? real : null;
}
