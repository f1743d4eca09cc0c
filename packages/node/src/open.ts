/**
 * Opening a file to serve, verified on the open handle, and reading its body from that handle.
 *
 * @module
 */
import { constants, type BigIntStats } from "node:fs";
import { open, readlink, stat, type FileHandle } from "node:fs/promises";
import type { ByteRange, FileBody } from "@simplehttp/core";
import { refused, type Containment } from "./containment.js";
import { fileStream } from "./file-stream.js";

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, holding a libuv
// thread (and the request) forever. On a regular file it changes nothing. Windows has no FIFOs.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const LINUX = process.platform === "linux";

// Below this a range is read into one buffer and sent with a single write, several times faster
// than a stream for small files; above it the range is streamed, so memory stays flat.
const BUFFERED_MAX = 256 * 1024;

// Node's default read size. Larger chunks were tried: 1 MiB made slow clients cost the server
// 196 MiB for 50 connections (each buffers a chunk), for a stream only about 1.35x faster.
const STREAM_CHUNK = 64 * 1024;

/**
 * Opens `path` and checks what was actually opened: a regular file and, unless `inRoot` is null
 * (every symlink followed), a file inside the root. On failure the handle is closed and an error
 * with `code: "ENOENT"` is thrown. `viaProc` picks how the opened file is located (see below).
 *
 * @example
 * ```ts
 * const handle = await openVerified("/srv/www/a.txt", containment("/srv/www"));
 * const body = await readBody(handle, { start: 0, end: 99 });
 * ```
 */
export async function openVerified(path: string, inRoot: Containment | null, viaProc = LINUX): Promise<FileHandle> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    const [opened, procAnswer] = await Promise.all([
      handle.stat({ bigint: true }), // bigint: an inode number may exceed 2^53
      inRoot !== null && viaProc ? procInside(handle, inRoot) : null,
    ]);
    if (!opened.isFile()) throw refused(path, "not a regular file");
    if (inRoot !== null && !(procAnswer ?? (await sameFileInside(path, opened, inRoot)))) throw refused(path, "outside the root");
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

// Linux names the file behind an open descriptor in /proc/self/fd: the kernel's own answer, in
// one call, so no swap of any path component before or after the open can fool it (an unlinked
// file reads `<old path> (deleted)`). Null when /proc cannot tell (not mounted, sandboxed).
async function procInside(handle: FileHandle, inRoot: Containment): Promise<boolean | null> {
  const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null);
  return opened === null ? null : inRoot.contains(opened);
}

// Elsewhere: the path's real location must be inside the root and hold the very inode that was
// opened, which catches a link swapped between the check and the open. What it cannot catch is a
// directory in the real path swapped to a symlink and back twice within these few calls; /proc
// closes that on Linux.
async function sameFileInside(path: string, opened: BigIntStats, inRoot: Containment): Promise<boolean> {
  const real = await inRoot.realInside(path);
  if (real === null) return false;
  const named = await stat(real, { bigint: true });
  return named.dev === opened.dev && named.ino === opened.ino;
}

/**
 * Bytes `start`..`end` (inclusive) from `handle`, which this takes over: it is closed once read
 * (small ranges) or when the stream ends, fails or is cancelled (a client leaving mid-download
 * cancels the response body, which destroys the stream).
 *
 * @example
 * ```ts
 * const body = await readBody(await openVerified(path, null), { start: 0, end: size - 1 });
 * ```
 */
export async function readBody(handle: FileHandle, { start, end }: ByteRange): Promise<FileBody> {
  const length = end - start + 1;
  if (length > BUFFERED_MAX) {
    // autoClose (the default): the handle is closed on end, error and destroy.
    return fileStream(handle, start, end, STREAM_CHUNK);
  }
  try {
    const bytes = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(bytes, filled, length - filled, start + filled);
      if (bytesRead === 0) break; // the file shrank since it was stat'ed
      filled += bytesRead;
    }
    return filled === length ? bytes : bytes.slice(0, filled);
  } finally {
    await handle.close();
  }
}
