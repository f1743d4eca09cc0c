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
import { close, constants, fstatSync, open, read } from "node:fs";
import type { Containment } from "./containment.ts";
import { errorWithCode, notFound } from "./errors.ts";

// O_NONBLOCK does not exist on Windows (nor do FIFOs there); on a regular file it changes nothing.
const READ_ONLY = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

type Callback<T> = (error: Error | null, value: T) => void;
const call = <T>(start: (done: Callback<T>) => void): Promise<T> =>
  new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));

/**
 * Opens `path` (an absolute path under the root) for reading and returns its descriptor, once the
 * open file is known to be a regular file and, with `inside`, the very file the path's real
 * location inside the root names. Otherwise the descriptor is closed again and the error thrown
 * has a POSIX `code` (`ENOENT` for a refusal, so the core answers 404).
 *
 * The check runs on the opened descriptor: swapping a symlink after the check cannot change what
 * is read, and a swap before it makes the pin (dev and inode of the descriptor against an lstat
 * of the real path) fail. What no path-based check can see is a directory of the real path
 * renamed into a symlink between realpath and lstat; that needs write access inside the root and
 * two won races, and only openat2(RESOLVE_BENEATH) would close it, which neither Deno nor node:fs
 * offer.
 *
 * @example const fd = await openFile("/srv/www/a.txt", containment("/srv/www"));
 */
export async function openFile(path: string, inside: Containment | null): Promise<number> {
  let fd: number | undefined;
  try {
    fd = await call<number>((done) => open(path, READ_ONLY, done));
    // fstat of an open descriptor reads an inode already in memory: synchronous, it costs a few
    // microseconds, where node:fs's callback fstat in Deno costs about 100.
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw notFound(path); // a FIFO, socket or device: never read
    if (!inside) return fd; // every symlink followed
    const real = await inside.resolve(path);
    if (real === null) throw notFound(path);
    // lstat, not stat: a real path whose last part was since made a symlink must not match. (Where
    // the system has no inode number, Deno says null, and only the realpath check remains.)
    const target = await Deno.lstat(real);
    if (target.ino !== null && (target.dev !== opened.dev || target.ino !== opened.ino)) throw notFound(path);
    return fd;
  } catch (error) {
    if (fd !== undefined) closeFile(fd);
    throw errorWithCode(error);
  }
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
