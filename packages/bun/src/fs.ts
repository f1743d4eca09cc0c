/**
 * A `FileSystem` on Bun: @simplehttp/disk's, whose large bodies are `Bun.file()` slices, which
 * Bun sends with sendfile.
 *
 * Metadata calls are synchronous on purpose. Bun 1.4 closes a connection that has a second
 * pipelined request waiting while the fetch handler is suspended on real I/O (oven-sh/bun#38128,
 * docs/runtimes.md); a handler that settles within microtasks is not affected. A stat is one short
 * syscall on a local disk, and Bun's own `BunFile.exists()` stats synchronously too.
 *
 * Why Bun gets a path and not the descriptor we checked: serving from a descriptor
 * (`Bun.file(fd)`) also uses sendfile, but Bun never closes a descriptor it was given: not when
 * the body is sent, not when the client aborts, not on garbage collection (measured on Bun
 * 1.4.5), and `request.signal` does not fire once the handler has returned, so there is no moment
 * at which we could close it. So the checks run on a descriptor of our own, which is closed, and
 * Bun opens the name the check found (step 4 of the disk package's open.ts), microseconds later.
 * Swapping a link in between does nothing, as that name has no link in it; replacing a directory
 * on it by a symlink in that window could still redirect Bun's open, which takes write access
 * inside the served tree and a precisely timed swap. A `Bun.file` of a missing path makes Bun
 * answer 500 once the response is sent, out of the handler's reach: the file is opened and
 * checked first, so a file gone since the stat is a 404.
 *
 * @module
 */
import { closeSync } from "node:fs";
import type { ByteRange, FileBody, FileSystem } from "@simplehttp/core";
import { diskFileSystem, readAndClose, type VerifiedFile } from "@simplehttp/disk";

// Bodies up to this size are read into memory and sent in one write; larger ones are Bun.file
// slices, sent with sendfile. For a small body the read and one write cost less than Bun's second
// open: 64 KiB served 12k req/s read against 10.4k as a Bun.file, 256 KiB 4.6-5.1k against 6.7k
// (the crossing is near 128 KiB; measured: docs/performance.md#measurements-behind-design-choices).
// A slow client holds its body until Bun has written it: 64 KiB, what a Node read stream holds.
const BUFFERED_MAX = 64 * 1024;

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
   * @example true
   */
  followSymlinks?: boolean;
  /**
   * Take writes (the handler's `write` option then works on it): uploads, new folders, removes,
   * moves and copies, each whole or not at all and inside the root (docs/writes.md). Also removes,
   * once started, the temporary files a crashed server left.
   * @default false
   * @example true
   */
  writable?: boolean;
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
export function bunFileSystem(root: string, options: BunFileSystemOptions = {}): FileSystem {
  return diskFileSystem(root, options, bunBody);
}

/**
 * Bun's body hook: a small range read from the opened file, which is closed; a larger one a
 * `Bun.file()` of the name the check found, the whole file unsliced (Bun then sends it as its
 * ceiling does).
 *
 * @example
 * ```ts
 * const fs = diskFileSystem(root, { viaProc: false }, bunBody);
 * ```
 */
export function bunBody({ fd, stats, real }: VerifiedFile, range: ByteRange): FileBody {
  if (range.end - range.start < BUFFERED_MAX) return readAndClose(fd, range);
  closeSync(fd);
  // A path in bytes (a name that is not UTF-8) is opened by those very bytes, still with sendfile.
  const file = typeof real === "string" ? Bun.file(real) : Bun.file(new Uint8Array(real));
  return range.start === 0 && range.end === stats.size - 1 ? file : file.slice(range.start, range.end + 1);
}
