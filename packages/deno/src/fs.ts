/**
 * A `FileSystem` on Deno's own file APIs (`Deno.stat`, `Deno.open`, `Deno.readDir`).
 *
 * @module
 */
import type { DirEntry, FileBody, FileStat, FileSystem } from "@simplehttp/core";
import { boundedStream, errorWithCode, openAt, readExactly } from "./read.ts";

// Below this a range is read into one buffer (one write, no stream machinery); above it the file
// is streamed, so memory stays flat whatever the file size.
const BUFFERED_MAX = 256 * 1024;

/**
 * Serves the files under `root` (resolved against the current directory). Needs `--allow-read`
 * for `root`; a path Deno's permissions forbid answers 403.
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { denoFileSystem } from "@simplehttp/deno";
 *
 * Deno.serve(createHandler({ fs: denoFileSystem("./public") }));
 * ```
 */
export function denoFileSystem(root: string): FileSystem {
  // The core's paths are `/`-separated and already checked, and Deno accepts `/` on Windows too.
  const absolute = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(root) ? root : `${Deno.cwd()}/${root}`;
  const base = absolute.replace(/(?<=.)[\\/]+$/, "");
  const full = (path: string): string => (path === "" ? base : `${base}/${path}`);

  return {
    async stat(path) {
      try {
        return toFileStat(await Deno.stat(full(path)));
      } catch (error) {
        // A path through a regular file (`a.txt/x`) is NotADirectory: as absent as a missing one.
        if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) return null;
        throw errorWithCode(error);
      }
    },

    async read(path, { start, end }): Promise<FileBody> {
      const length = end - start + 1;
      const file = await openAt(full(path), start);
      if (length > BUFFERED_MAX) return boundedStream(file, length); // the stream closes the file
      try {
        return await readExactly(file, length);
      } finally {
        file.close();
      }
    },

    async readDir(path) {
      const dir = full(path);
      const names: string[] = [];
      try {
        for await (const entry of Deno.readDir(dir)) names.push(entry.name);
      } catch (error) {
        throw errorWithCode(error);
      }
      return Promise.all(
        names.map(async (name): Promise<DirEntry> => {
          try {
            // Deno.stat follows symlinks, so a link to a directory lists as a directory.
            return { name, stat: toFileStat(await Deno.stat(`${dir}/${name}`)) };
          } catch {
            // A dangling symlink or an entry we may not stat is still listed, without details.
            return { name, stat: null };
          }
        }),
      );
    },
  };
}

function toFileStat(info: Deno.FileInfo): FileStat {
  return {
    kind: info.isFile ? "file" : info.isDirectory ? "directory" : "other",
    size: info.size,
    mtimeMs: info.mtime?.getTime() ?? 0,
  };
}
