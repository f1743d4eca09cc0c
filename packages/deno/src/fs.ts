/**
 * A `FileSystem` on Deno's file APIs, with files opened through node:fs (see open.ts for why).
 *
 * @module
 */
import type { DirEntry, FileBody, FileStat, FileSystem } from "@simplehttp/core";
import { containment } from "./containment.ts";
import { errorWithCode, isAbsent, notFound } from "./errors.ts";
import { closeFile, openFile } from "./open.ts";
import { boundedStream, readExactly } from "./read.ts";

// Below this a range is read into one buffer (one write, no stream machinery); above it the file
// is streamed, so memory stays flat whatever its size.
const BUFFERED_MAX = 256 * 1024;

/** Options of `denoFileSystem()`. */
export interface DenoFileSystemOptions {
  /**
   * Follow every symlink, wherever it points; off, only those whose real target is inside the root.
   * @default false
   * @example true
   */
  followSymlinks?: boolean;
}

/**
 * Serves the files under `root` (resolved against the current directory). Needs `--allow-read`
 * for `root`; a path Deno's permissions forbid answers 403. Deno checks its permissions on the
 * path asked, not on where a symlink leads, so containment is this adapter's job: by default a
 * symlink whose real target is outside the root is as absent as a missing file, and not listed.
 *
 * @example
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { denoFileSystem } from "@simplehttp/deno";
 *
 * Deno.serve(createHandler({ fs: denoFileSystem("./public", { followSymlinks: false }) }));
 * ```
 */
export function denoFileSystem(root: string, { followSymlinks = false }: DenoFileSystemOptions = {}): FileSystem {
  // The core's paths are `/`-separated and already checked, and Deno accepts `/` on Windows too.
  const absolute = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(root) ? root : `${Deno.cwd()}/${root}`;
  const base = absolute.replace(/(?<=.)[\\/]+$/, "");
  const full = (path: string): string => (path === "" ? base : `${base}/${path}`);
  const inside = followSymlinks ? null : containment(base);

  /** The metadata of `path` (symlinks followed), or null when absent or outside the root. */
  const statOf = async (path: string, isLink = true): Promise<FileStat | null> => {
    try {
      // The realpath says whether a symlink on the way leads out (null); both calls at once, as
      // each is a round trip to Deno's I/O threads. Unchecked, the path stands for itself.
      const [info, real] = await Promise.all([Deno.stat(path), inside && isLink ? inside.resolve(path) : path]);
      return real === null ? null : toFileStat(info);
    } catch (error) {
      // Missing, through a regular file (`a.txt/x`), a dangling link or a loop: nothing there.
      if (isAbsent(error)) return null;
      throw errorWithCode(error);
    }
  };

  return {
    stat: (path) => statOf(full(path)),

    async read(path, { start, end }): Promise<FileBody> {
      const length = end - start + 1;
      const fd = await openFile(full(path), inside);
      if (length > BUFFERED_MAX) return boundedStream(fd, start, length); // the stream closes it
      return readExactly(fd, start, length).finally(() => closeFile(fd));
    },

    async readDir(path) {
      // Checked again (it may have been swapped for a link since the handler's stat), and listed
      // where it really is.
      const dir = inside ? await inside.resolve(full(path)) : full(path);
      if (dir === null) throw notFound(path);
      const entries: Deno.DirEntry[] = [];
      try {
        for await (const entry of Deno.readDir(dir)) entries.push(entry);
      } catch (error) {
        throw errorWithCode(error);
      }
      // A realpath only for symlinks: a big directory of plain files costs one stat per entry.
      // Whatever cannot be stat'ed (dangling, a loop, refused) or leads out is left out.
      const rows = entries.map(async ({ name, isSymlink }): Promise<DirEntry | null> => {
        const stat = await statOf(`${dir}/${name}`, isSymlink).catch(() => null);
        return stat && { name, stat };
      });
      return (await Promise.all(rows)).filter((row) => row !== null);
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
