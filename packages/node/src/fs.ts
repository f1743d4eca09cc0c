/**
 * A `FileSystem` on `node:fs`: @simplehttp/disk's, with Node's bodies. Metadata, listings and
 * small files use synchronous calls (see the disk package's open.ts for why); large files
 * stream through libuv's thread pool (file-body.ts), so a slow disk never holds the event loop
 * for a whole file.
 *
 * @module
 */
import type { ByteRange, FileBody, FileSystem } from "@simplehttp/core";
import { type BodyHook, type DiskFileSystemOptions, diskFileSystem, readAndClose } from "@simplehttp/disk";
import { NodeFileBody } from "./file-body.js";

// Up to this a range is read into one buffer and sent with a single write, several times faster
// than a stream for small files; above it the range is streamed, so memory stays flat.
const BUFFERED_MAX = 256 * 1024;

/** Options of {@link nodeFileSystem}. */
export interface NodeFileSystemOptions {
  /**
   * Follow every symlink, wherever it points. Off, a symlink is followed only when its real
   * target is inside the root; one that escapes (or dangles, or loops) is missing and unlisted.
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
 * Serves the files under `root` (resolved against the current directory). Only regular files are
 * ever opened (a FIFO, socket or device is refused without blocking). Nothing is cached: every
 * request sees the disk as it is.
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { nodeFileSystem } from "@simplehttp/node";
 *
 * const handler = createHandler({ fs: nodeFileSystem("./public") });
 * const trusting = nodeFileSystem("./public", { followSymlinks: true });
 * const shared = nodeFileSystem("./inbox", { writable: true });
 * ```
 */
export function nodeFileSystem(root: string, options: NodeFileSystemOptions = {}): FileSystem {
  return fileSystemWithBodies(root, options, BUFFERED_MAX);
}

/**
 * {@link nodeFileSystem}, with bodies over `bufferedMax` bytes given as a NodeFileBody instead
 * of bytes. serve() sets it to 0: it sends every body itself (send-file.ts), straight to the
 * socket, with no `Response` to build (send-file.ts says how it buffers them).
 */
export function fileSystemWithBodies(root: string, options: DiskFileSystemOptions, bufferedMax: number): FileSystem {
  return diskFileSystem(root, options, nodeBody(bufferedMax));
}

/**
 * Node's body hook: bytes `start`..`end` of the opened file read into one buffer (and the file
 * closed) when at most `bufferedMax` bytes, else a {@link NodeFileBody}, which closes it once
 * sent, on an error, or when cancelled (a client leaving mid-download cancels the response body).
 *
 * @example
 * ```ts
 * const fs = diskFileSystem(root, { viaProc: false }, nodeBody(256 * 1024));
 * ```
 */
export function nodeBody(bufferedMax: number): BodyHook {
  return ({ fd }, { start, end }: ByteRange): FileBody => {
    if (end - start + 1 > bufferedMax) return new NodeFileBody(fd, start, end);
    return readAndClose(fd, { start, end });
  };
}
