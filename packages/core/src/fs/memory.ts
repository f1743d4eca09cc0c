/**
 * A `FileSystem` held in memory: for tests, for edge workers (which have no disk) and for
 * embedding a handful of files in a bundle.
 *
 * @module
 */
import type { DirEntry, FileBody, FileSystem } from "./file-system.js";
import { fileNode, findNode, folderNode, type MemoryNode } from "./memory-tree.js";
import { memoryWrites } from "./memory-writes.js";

/** A file's contents, or its contents with an explicit modification time. */
export type MemoryFile =
  | string
  | Uint8Array<ArrayBuffer>
  | { content: string | Uint8Array<ArrayBuffer>; mtime?: Date | number };

/** Options of {@linkcode memoryFileSystem}. */
export interface MemoryFileSystemOptions {
  /**
   * Modification time of every file that gives none of its own, and of every directory.
   * @default the time `memoryFileSystem()` was called
   */
  mtime?: Date | number;
  /**
   * Take writes (the core's `write` option then works on it): files put, folders made, removed,
   * moved and copied, all in memory, each whole or not at all.
   * @default false
   * @example true
   */
  writable?: boolean;
}

const encoder = new TextEncoder();

/**
 * Builds a filesystem from a plain object of paths to contents, read-only unless `writable`. Directories are implied
 * by the paths; a key ending in `/` makes an empty directory.
 *
 * @example
 * ```ts
 * const fs = memoryFileSystem({
 *   "index.html": "<h1>hi</h1>",
 *   "data/report.csv": { content: "a,b\n", mtime: new Date("2026-01-01") },
 *   "empty/": "",
 * });
 * const handler = createHandler({ fs });
 * ```
 */
export function memoryFileSystem(files: Record<string, MemoryFile>, options: MemoryFileSystemOptions = {}): FileSystem {
  const defaultMtime = toMs(options.mtime ?? Date.now());
  const root = folderNode(defaultMtime);

  for (const [key, file] of Object.entries(files)) {
    const isDir = key.endsWith("/");
    const segments = key.split("/").filter((s) => s !== "");
    let dir: MemoryNode = root;
    segments.forEach((name, i) => {
      const last = i === segments.length - 1;
      const children = dir.children;
      if (!children) throw new Error(`memoryFileSystem: "${key}" puts a path under a file`);
      let node = children.get(name);
      if (!node) {
        node = last && !isDir ? memoryFile(file, defaultMtime) : folderNode(defaultMtime);
        children.set(name, node);
      }
      dir = node;
    });
  }

  const find = (path: string): MemoryNode | undefined => findNode(root, path);

  return {
    async stat(path) {
      return find(path)?.stat ?? null;
    },
    async read(path, range): Promise<FileBody> {
      const bytes = find(path)?.bytes;
      if (!bytes) throw Object.assign(new Error(`not a file: ${path}`), { code: "ENOENT" });
      return bytes.subarray(range.start, range.end + 1);
    },
    async readDir(path): Promise<DirEntry[]> {
      const children = find(path)?.children;
      if (!children) throw Object.assign(new Error(`not a directory: ${path}`), { code: "ENOTDIR" });
      return [...children].map(([name, node]) => ({ name, stat: node.stat }));
    },
    ...(options.writable ? { writes: memoryWrites(root) } : {}),
  };
}

function memoryFile(file: MemoryFile, defaultMtime: number): MemoryNode {
  const { content, mtime } = typeof file === "string" || file instanceof Uint8Array ? { content: file } : file;
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  return fileNode(bytes, mtime === undefined ? defaultMtime : toMs(mtime));
}

function toMs(time: Date | number): number {
  return typeof time === "number" ? time : time.getTime();
}
