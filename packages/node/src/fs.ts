/**
 * A `FileSystem` on `node:fs/promises`: no synchronous call on the request path.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import type { DirEntry, FileBody, FileStat, FileSystem } from "@simplehttp/core";
import type { Stats } from "node:fs";

// Below this a file is read into one buffer and sent with a single write, which is several times
// faster than a stream for small files; above it the file is streamed, so memory stays flat
// whatever the file size.
const BUFFERED_MAX = 256 * 1024;

/**
 * Serves the files under `root` (resolved against the current directory).
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { nodeFileSystem } from "@simplehttp/node";
 *
 * const handler = createHandler({ fs: nodeFileSystem("./public") });
 * ```
 */
export function nodeFileSystem(root: string): FileSystem {
  const base = resolve(root);
  const full = (path: string): string => (path === "" ? base : join(base, path));

  return {
    async stat(path) {
      try {
        return toFileStat(await stat(full(path)));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async read(path, { start, end }): Promise<FileBody> {
      const length = end - start + 1;
      if (length > BUFFERED_MAX) {
        // Readable.toWeb: the stream is destroyed (and its descriptor closed) when the response
        // body is cancelled, which is what happens when a client goes away mid-download.
        return Readable.toWeb(createReadStream(full(path), { start, end })) as ReadableStream<Uint8Array<ArrayBuffer>>;
      }
      const handle = await open(full(path), "r");
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
    },

    async readDir(path) {
      const dir = full(path);
      const names = await readdir(dir);
      return Promise.all(
        names.map(async (name): Promise<DirEntry> => {
          try {
            return { name, stat: toFileStat(await stat(join(dir, name))) };
          } catch {
            // A dangling symlink or an entry we may not stat is still listed, without details.
            return { name, stat: null };
          }
        }),
      );
    },
  };
}

function toFileStat(stats: Stats): FileStat {
  return {
    kind: stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other",
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
