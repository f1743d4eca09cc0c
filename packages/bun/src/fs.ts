/**
 * A `FileSystem` on Bun: file bodies are `Bun.file()` slices, which Bun sends with sendfile.
 *
 * Metadata calls are synchronous on purpose. Bun 1.4 closes a connection that has a second
 * pipelined request waiting while the fetch handler is suspended on real I/O (oven-sh/bun#38128);
 * a handler that settles within microtasks is not affected. A stat is one short syscall on a
 * local disk, and Bun's own `BunFile.exists()` stats synchronously too.
 *
 * @module
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import { join, resolve } from "node:path";
import type { DirEntry, FileBody, FileStat, FileSystem } from "@simplehttp/core";

/**
 * Serves the files under `root` (resolved against the current directory).
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { bunFileSystem } from "@simplehttp/bun";
 *
 * const handler = createHandler({ fs: bunFileSystem("./public") });
 * Bun.serve({ port: 8000, fetch: handler });
 * ```
 */
export function bunFileSystem(root: string): FileSystem {
  const base = resolve(root);
  const full = (path: string): string => (path === "" ? base : join(base, path));

  return {
    async stat(path) {
      try {
        return toFileStat(statSync(full(path)));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async read(path, { start, end }): Promise<FileBody> {
      const file = full(path);
      // A Bun.file of a missing path makes Bun answer 500 once the response is sent, out of the
      // handler's reach: check here, so a file deleted since the handler's stat is a 404.
      if (!statSync(file).isFile()) throw Object.assign(new Error(`not a regular file: ${path}`), { code: "ENOENT" });
      return Bun.file(file).slice(start, end + 1);
    },

    async readDir(path) {
      const dir = full(path);
      return readdirSync(dir).map((name): DirEntry => {
        try {
          return { name, stat: toFileStat(statSync(join(dir, name))) };
        } catch {
          // A dangling symlink or an entry we may not stat is still listed, without details.
          return { name, stat: null };
        }
      });
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
