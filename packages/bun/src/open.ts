/**
 * The check before a file body is handed to Bun: open the file, look at what was opened, close it.
 * Small bodies are read from that descriptor instead (see {@link readAndClose}).
 *
 * Bun sends a `Bun.file(path)` body with sendfile, and opens the path itself when it writes the
 * response. Serving from a descriptor we opened (`Bun.file(fd)`) also uses sendfile, but Bun never
 * closes a descriptor it was given: not when the body is sent, not when the client aborts, not on
 * garbage collection (measured on Bun 1.4.5), and `request.signal` does not fire once the handler
 * has returned, so there is no moment at which we could close it. So the checks run on a
 * descriptor of our own, and Bun gets the path they vouched for.
 *
 * The race that remains: the checks pin the inode the real path named (dev + ino of the open
 * descriptor against a stat of the real path), and Bun opens that real path, which has no symlink
 * in it, microseconds later. Swapping the link itself between the two does nothing; replacing a
 * directory on the real path by a symlink in that window could still redirect Bun's open. That
 * takes write access inside the served tree and a precisely timed swap.
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from "node:fs";
import { readFully, type ByteRange } from "@simplehttp/core";
import { lossy, notFound, type Containment } from "./containment.js";

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, and this is a
// synchronous call on the server's only thread. A regular file ignores the flag.
const READ_NONBLOCKING = constants.O_RDONLY | constants.O_NONBLOCK;

const LINUX = process.platform === "linux";

/** A regular file opened and checked: its descriptor, its stat, and the path Bun may open it by. */
export interface CheckedFile {
  fd: number;
  stats: Stats;
  /**
   * Its real path (no symlink in it), or `path` itself when every symlink is followed: bytes when
   * the name is not UTF-8 (or shows U+FFFD), for `Bun.file()` takes a path as bytes too.
   */
  real: string | Buffer;
}

/**
 * A descriptor of the regular file at `path`, checked the way {@link checkedPath} checks it, with
 * its stat and real path. Throws like {@link checkedPath}.
 *
 * @example
 * ```ts
 * const { fd, stats, real } = openChecked("/srv/www/a.txt", containment("/srv/www"));
 * ```
 */
export function openChecked(path: string | Buffer, guard: Containment | null): CheckedFile {
  const fd = openRegular(path);
  try {
    const stats = fstatSync(fd);
    if (guard === null) return { fd, stats, real: path };
    // Linux names the opened file in /proc/self/fd: the kernel's answer, no race with any swap.
    // A file unlinked since reads `<path> (deleted)`: nothing Bun could open by name.
    const opened = LINUX && stats.nlink > 0 ? readlinkOrNull(`/proc/self/fd/${fd}`) : null;
    const real = opened !== null ? (guard.contains(opened) ? opened : null) : sameFile(path, fd, guard);
    if (real === null) throw notFound(path);
    return { fd, stats, real };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Bytes `start`..`end` of the file open as `fd`, which this closes. For small bodies: Bun would
 * open the file again to send a `Bun.file()` slice, and the read plus one write costs less than
 * that second open (1 KiB file: measured in bench/). A file that ended early throws `EAGAIN`.
 *
 * @example
 * ```ts
 * const bytes = readAndClose(openChecked(path, guard).fd, { start: 0, end: 99 });
 * ```
 */
export function readAndClose(fd: number, { start, end }: ByteRange): Uint8Array<ArrayBuffer> {
  try {
    return readFully(new Uint8Array(end - start + 1), start, (bytes, offset, length, position) => readSync(fd, bytes, offset, length, position));
  } finally {
    closeSync(fd);
  }
}

/**
 * The path Bun should open to send the regular file at `path`: its real path when `guard` is given
 * (the file must then lie inside the root), `path` itself otherwise. Throws an error with code
 * `ENOENT` (→ 404) for anything that must not be served: a directory, a FIFO, a socket or device,
 * an escaping or swapped symlink; other errors (EACCES, EMFILE, …) pass through for the handler.
 *
 * @example
 * ```ts
 * const body = Bun.file(checkedPath("/srv/www/a.txt", containment("/srv/www"))).slice(0, 10);
 * ```
 */
export function checkedPath(path: string | Buffer, guard: Containment | null): string | Buffer {
  const fd = openRegular(path);
  try {
    if (guard === null) return path;
    const real = sameFile(path, fd, guard);
    if (real === null) throw notFound(path);
    return real;
  } finally {
    closeSync(fd);
  }
}

/** A descriptor of the regular file at `path`; anything else throws `ENOENT`, without blocking. */
function openRegular(path: string | Buffer): number {
  let fd: number;
  try {
    fd = openSync(path, READ_NONBLOCKING);
  } catch (error) {
    // ENXIO: a socket, or a device without a driver. Only a regular file should get this far.
    if (typeof error === "object" && error !== null && "code" in error && error.code === "ENXIO") throw notFound(path);
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw notFound(path);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The real path of `path` when it lies inside the root and names the very file open as `fd`. */
function sameFile(path: string | Buffer, fd: number, guard: Containment): string | Buffer | null {
  const real = guard.realInside(path);
  if (real === null) return null;
  // The real path must name the very file we opened, or a link was swapped in between.
  const [opened, named] = [fstatSync(fd), statSync(real)];
  return named.dev === opened.dev && named.ino === opened.ino ? real : null;
}

/** The link's target; as bytes when the string shows U+FFFD, which may stand for other bytes. */
function readlinkOrNull(path: string): string | Buffer | null {
  try {
    const target = readlinkSync(path);
    return lossy(target) ? readlinkSync(path, { encoding: "buffer" }) : target;
  } catch {
    return null;
  }
}
