/**
 * Opening a file to serve, verified on the open descriptor, and reading its body from it.
 *
 * The open, its checks and the read of a small file are synchronous: on a local disk each call
 * takes microseconds, while a round trip through libuv's thread pool costs more than the call
 * itself, and a 1 KiB file needed seven of them (measured: 3.0k req/s with promises, see
 * bench/). nginx reads files in its event loop the same way. Large bodies stream through the
 * thread pool (file-body.ts), so a slow disk never holds the loop for a whole file.
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from "node:fs";
import { readFully, type ByteRange, type FileBody, type ReadAt } from "@simplehttp/core";
import { lossy, refused, type Containment } from "./containment.js";
import { NodeFileBody } from "./file-body.js";

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, holding the event
// loop forever. On a regular file it changes nothing. Windows has no FIFOs.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const LINUX = process.platform === "linux";

// Up to this a range is read into one buffer and sent with a single write, several times faster
// than a stream for small files; above it the range is streamed, so memory stays flat.
export const BUFFERED_MAX = 256 * 1024;

/**
 * Opens `path` and checks what was actually opened: a regular file and, unless `inRoot` is null
 * (every symlink followed), a file inside the root. Answers the descriptor and its stat. On
 * failure the descriptor is closed and an error with `code: "ENOENT"` is thrown. `viaProc` picks
 * how the opened file is located (below).
 *
 * @example
 * ```ts
 * const { fd } = openVerified("/srv/www/a.txt", containment("/srv/www"));
 * const body = readBody(fd, { start: 0, end: 99 });
 * ```
 */
export function openVerified(path: string | Buffer, inRoot: Containment | null, viaProc = LINUX): { fd: number; stats: Stats } {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw refused(path, "not a regular file");
    if (inRoot !== null && !((viaProc ? procInside(fd, inRoot) : null) ?? sameFileInside(path, fd, inRoot))) {
      throw refused(path, "outside the root");
    }
    return { fd, stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

// Linux names the file behind an open descriptor in /proc/self/fd: the kernel's own answer, in
// one call, so no swap of any path component before or after the open can fool it (an unlinked
// file reads `<old path> (deleted)`). Null when /proc cannot tell (not mounted, sandboxed).
function procInside(fd: number, inRoot: Containment): boolean | null {
  let opened: string | Buffer;
  try {
    opened = readlinkSync(`/proc/self/fd/${fd}`);
    // U+FFFD may stand for bytes that are not UTF-8 (see containment.ts): then read the bytes.
    if (lossy(opened)) opened = readlinkSync(`/proc/self/fd/${fd}`, { encoding: "buffer" });
  } catch {
    return null;
  }
  return inRoot.contains(opened);
}

// Elsewhere: the path's real location must be inside the root and hold the very inode that was
// opened, which catches a link swapped between the check and the open. What it cannot catch is a
// directory in the real path swapped to a symlink and back twice within these few calls; /proc
// closes that on Linux. bigint: an inode number may exceed 2^53.
function sameFileInside(path: string | Buffer, fd: number, inRoot: Containment): boolean {
  const real = inRoot.realInside(path);
  if (real === null) return false;
  const [opened, named] = [fstatSync(fd, { bigint: true }), statSync(real, { bigint: true })];
  return named.dev === opened.dev && named.ino === opened.ino;
}

/**
 * Bytes `start`..`end` (inclusive) from `fd`, which this takes over: read into one buffer and
 * closed when at most `bufferedMax` bytes, else a {@link NodeFileBody} that closes it once sent,
 * on an error, or when cancelled (a client leaving mid-download cancels the response body).
 *
 * @example
 * ```ts
 * const body = readBody(openVerified(path, null).fd, { start: 0, end: size - 1 });
 * ```
 */
export function readBody(fd: number, { start, end }: ByteRange, bufferedMax = BUFFERED_MAX): FileBody {
  const length = end - start + 1;
  if (length > bufferedMax) return new NodeFileBody(fd, start, end);
  try {
    return readFully(new Uint8Array(length), start, readAt(fd));
  } finally {
    closeSync(fd);
  }
}

/** Synchronous positional reads of `fd`, for {@link readFully}. */
export function readAt(fd: number): ReadAt {
  return (bytes, offset, length, position) => readSync(fd, bytes, offset, length, position);
}
