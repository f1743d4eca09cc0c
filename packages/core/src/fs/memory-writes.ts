/**
 * The writes of memoryFileSystem: the write contract (writes.ts) on a tree in memory. A body is
 * read whole before anything changes, and each change is one synchronous step, so every write is
 * whole or absent and two creates of one name cannot both succeed.
 *
 * @module
 */
import { fileNode, folderNode, type MemoryNode } from "./memory-tree.js";
import { partialWrites } from "./partial.js";
import type { FileStat } from "./stat.js";
import type { FileWrites, PutOptions, WriteResult } from "./writes.js";

/** What a stored file's commit needs of its put's options. */
type StoreOptions = Pick<PutOptions, "mode" | "expected" | "mtimeMs" | "parents">;

const failure = (code: string, what: string): Error => Object.assign(new Error(`${code}: ${what}`), { code });

/** `path`'s parent folder and last name; the root has none. */
function split(path: string): { parent: string; name: string } {
  const slash = path.lastIndexOf("/");
  return { parent: slash < 0 ? "" : path.slice(0, slash), name: path.slice(slash + 1) };
}

/**
 * The writes of the tree under `root`.
 *
 * @param root the tree's root folder, changed in place
 * @returns the {@link FileWrites} of a writable memoryFileSystem
 * @example
 * ```ts
 * const fs = memoryFileSystem({}, { writable: true });
 * await fs.writes?.mkdir("docs");
 * ```
 */
export function memoryWrites(root: MemoryNode): FileWrites {
  const folder = (path: string, parents: boolean): Map<string, MemoryNode> => {
    let node = root;
    for (const name of path.split("/").filter((segment) => segment !== "")) {
      let next = node.children?.get(name);
      if (next === undefined && parents && node.children) {
        next = folderNode(Date.now());
        node.children.set(name, next);
      }
      if (next === undefined) throw failure("ENOENT", path);
      node = next;
    }
    if (node.children === undefined) throw failure("ENOTDIR", path);
    return node.children;
  };
  /** Puts `bytes` at `path` as `options` say, in one synchronous step. */
  const store = (path: string, bytes: Uint8Array<ArrayBuffer>, options: StoreOptions): WriteResult => {
    const { parent, name } = split(path);
    const children = folder(parent, options.parents);
    const present = children.get(name);
    if (present !== undefined && options.mode === "create") throw failure("EEXIST", path);
    if (present?.children !== undefined) throw failure("EISDIR", path);
    // An expected version that is gone is stale too: a replace of it must not become a create.
    if (options.expected !== undefined && (present === undefined || !sameVersion(present.stat, options.expected))) {
      throw failure("ESTALE", path);
    }
    // Strictly later than the version replaced, so the new version's validators always differ.
    const after = present?.stat.mtimeMs === undefined ? 0 : present.stat.mtimeMs + 1;
    const node = fileNode(bytes, options.mtimeMs ?? Math.max(Date.now(), after));
    children.set(name, node);
    return { created: present === undefined, stat: node.stat };
  };
  const entryOf = (path: string): { children: Map<string, MemoryNode>; name: string; node?: MemoryNode } => {
    const { parent, name } = split(path);
    const children = folder(parent, false);
    return { children, name, node: children.get(name) };
  };

  return {
    async put(path, body, options) {
      const bytes = await readWhole(body, options);
      return store(path, bytes, options);
    },

    async mkdir(path) {
      const { children, name, node } = entryOf(path);
      if (node !== undefined) throw failure("EEXIST", path);
      children.set(name, folderNode(Date.now()));
    },

    async remove(path) {
      const { children, name, node } = entryOf(path);
      if (node === undefined) throw failure("ENOENT", path);
      children.delete(name);
    },

    move: (from, to, overwrite) => relink(from, to, overwrite, (node) => node, true),
    copy: (from, to, overwrite) => relink(from, to, overwrite, copyOf, false),
    partial: memoryPartial(folder, store),
  };

  async function relink(
    from: string,
    to: string,
    overwrite: boolean,
    carry: (node: MemoryNode) => MemoryNode,
    removeSource: boolean,
  ): Promise<{ created: boolean }> {
    const source = entryOf(from);
    if (source.node === undefined) throw failure("ENOENT", from);
    if (`${to}/`.startsWith(`${from}/`)) throw failure("EINVAL", `${to} is inside ${from}`);
    const target = entryOf(to);
    if (target.node !== undefined && !overwrite) throw failure("EEXIST", to);
    target.children.set(target.name, carry(source.node));
    if (removeSource) source.children.delete(source.name);
    return { created: target.node === undefined };
  }
}

/**
 * The resumable uploads of the tree: an incomplete file is a list of chunks outside the tree, so
 * nothing lists, serves or has to remove it; its commit is put's.
 */
function memoryPartial(
  folder: (path: string, parents: boolean) => unknown,
  store: (path: string, bytes: Uint8Array<ArrayBuffer>, options: StoreOptions) => WriteResult,
) {
  return partialWrites<Uint8Array[]>({
    create: async (path, parents) => {
      folder(split(path).parent, parents);
      return [];
    },
    write: async (chunks, _offset, next) => {
      let written = 0;
      try {
        for (let chunk = await next(); chunk !== null; chunk = await next()) {
          chunks.push(chunk);
          written += chunk.byteLength;
        }
      } catch (failure) {
        return { written, failure };
      }
      return { written };
    },
    commit: async (chunks, path, mode) => store(path, joined(chunks), { mode, parents: false }),
    discard: async (chunks) => {
      chunks.length = 0;
    },
  });
}

/** A deep copy of a node, so that writes to the copy leave the original as it was. */
function copyOf(node: MemoryNode): MemoryNode {
  if (node.children === undefined) return { stat: { ...node.stat }, bytes: node.bytes };
  const children = new Map([...node.children].map(([name, child]) => [name, copyOf(child)] as const));
  return { stat: { ...node.stat }, children };
}

/** Whether `stat` is still the version `expected` describes. */
function sameVersion(stat: FileStat, expected: FileStat): boolean {
  return stat.size === expected.size && stat.mtimeMs === expected.mtimeMs && stat.etag === expected.etag;
}

/** The body's bytes, within `maxBytes` (`EFBIG`) and the announced length. */
async function readWhole(body: ReadableStream<Uint8Array>, options: PutOptions): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > options.maxBytes) throw failure("EFBIG", `more than ${options.maxBytes} bytes`);
      chunks.push(read.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  }
  if (options.length !== undefined && size !== options.length) {
    throw failure("EBADMSG", `the body held ${size} of ${options.length} bytes`);
  }
  return joined(chunks);
}

/** The chunks as one array of bytes. */
function joined(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
