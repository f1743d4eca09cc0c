/**
 * A `FileSystem` held in memory: for tests, for edge workers (which have no disk) and for
 * embedding a handful of files in a bundle.
 *
 * @module
 */
import type { DirEntry, FileBody, FileStat, FileSystem } from "./file-system.js";

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
}

interface Node {
  stat: FileStat;
  bytes?: Uint8Array<ArrayBuffer>;
  children?: Map<string, Node>;
}

const encoder = new TextEncoder();

/**
 * Builds a read-only filesystem from a plain object of paths to contents. Directories are implied
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
  const root: Node = { stat: { kind: "directory", size: 0, mtimeMs: defaultMtime }, children: new Map() };

  for (const [key, file] of Object.entries(files)) {
    const isDir = key.endsWith("/");
    const segments = key.split("/").filter((s) => s !== "");
    let dir = root;
    segments.forEach((name, i) => {
      const last = i === segments.length - 1;
      const children = dir.children;
      if (!children) throw new Error(`memoryFileSystem: "${key}" puts a path under a file`);
      let node = children.get(name);
      if (!node) {
        node = last && !isDir ? fileNode(file, defaultMtime) : dirNode(defaultMtime);
        children.set(name, node);
      }
      dir = node;
    });
  }

  const find = (path: string): Node | undefined => {
    let node: Node | undefined = root;
    for (const name of path.split("/")) {
      if (name === "") continue;
      node = node.children?.get(name);
      if (!node) return undefined;
    }
    return node;
  };

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
  };
}

function fileNode(file: MemoryFile, defaultMtime: number): Node {
  const { content, mtime } = typeof file === "string" || file instanceof Uint8Array ? { content: file } : file;
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  return {
    stat: { kind: "file", size: bytes.byteLength, mtimeMs: mtime === undefined ? defaultMtime : toMs(mtime) },
    bytes,
  };
}

function dirNode(mtimeMs: number): Node {
  return { stat: { kind: "directory", size: 0, mtimeMs }, children: new Map() };
}

function toMs(time: Date | number): number {
  return typeof time === "number" ? time : time.getTime();
}
