/**
 * The tree behind memoryFileSystem (memory.ts): nodes, and the walk from a path to one. Shared
 * with its writes (memory-writes.ts), which change the tree in place.
 *
 * @module
 */
import type { FileStat } from "./stat.js";

/** A file (with `bytes`) or a folder (with `children`). */
export interface MemoryNode {
  stat: FileStat;
  bytes?: Uint8Array<ArrayBuffer>;
  children?: Map<string, MemoryNode>;
}

/**
 * The node at `path` under `root`, or `undefined` when nothing is there.
 *
 * @example
 * ```ts
 * findNode(root, "docs/a.txt")?.bytes;
 * ```
 */
export function findNode(root: MemoryNode, path: string): MemoryNode | undefined {
  let node: MemoryNode | undefined = root;
  for (const name of path.split("/")) {
    if (name === "") continue;
    node = node.children?.get(name);
    if (!node) return undefined;
  }
  return node;
}

/**
 * A folder node with no entries, dated `mtimeMs`.
 *
 * @example
 * ```ts
 * root.children?.set("new", folderNode(Date.now()));
 * ```
 */
export function folderNode(mtimeMs: number): MemoryNode {
  return { stat: { kind: "directory", size: 0, mtimeMs }, children: new Map() };
}

/**
 * A file node holding `bytes`, dated `mtimeMs`.
 *
 * @example
 * ```ts
 * root.children?.set("a.txt", fileNode(new TextEncoder().encode("a"), Date.now()));
 * ```
 */
export function fileNode(bytes: Uint8Array<ArrayBuffer>, mtimeMs: number): MemoryNode {
  return { stat: { kind: "file", size: bytes.byteLength, mtimeMs }, bytes };
}
