/**
 * The walk that comes before an archive: every entry below a directory, with its size and mtime,
 * from `readDir` alone (no file is opened), so the archive's size is known, and refused if over
 * the caps, before a byte of it goes out.
 *
 * @module
 */
import type { FileStat, FileSystem } from "../fs/file-system.js";

/** One file or directory below the archived directory. */
export interface ArchiveEntry {
  /** Its path inside the archive: relative to the archived directory, `/`-separated. */
  name: string;
  /** Its path for the `FileSystem` (relative to the served root). */
  path: string;
  kind: "file" | "directory";
  /** Bytes; 0 for a directory. */
  size: number;
  mtimeMs: number;
}

/** How far an archive may go (why these defaults: `DEFAULT_ARCHIVE_LIMITS` in archive.ts). */
export interface ArchiveLimits {
  /**
   * The most entries (files and directories, at any depth) an archive may hold; a zip holds at
   * most 65,534 whatever this says. `Infinity` for no cap.
   * @default 10000
   * @example 50000
   */
  maxEntries: number;
  /**
   * The most bytes its files may add up to (their sizes, not the archive's). `Infinity` for no cap.
   * @default 4294967296 (4 GiB)
   * @example 20 * 1024 ** 3
   */
  maxBytes: number;
}

/** What the walk found: the entries in archive order, or how far over a cap the tree is. */
export type ArchiveTree =
  | { fits: true; entries: ArchiveEntry[]; bytes: number }
  /** `entries` is `maxEntries + 1` when the walk stopped there (it never counts further). */
  | { fits: false; entries: number; bytes: number; complete: boolean };

/** Decides, as the server does, whether an entry named `name` is shown (`atRoot`: in the served root). */
export type Visible = (name: string, atRoot: boolean) => boolean;

interface Pending {
  name: string;
  path: string;
  stat: FileStat;
}

/**
 * Lists every visible file and directory below `path`, depth first and sorted by name within each
 * directory (so the same tree always makes the same archive), a directory before its contents.
 * Entries the adapter could not stat (`stat: null`: dangling or escaping symlinks, unreadable
 * ones) and anything but files and directories (FIFOs, sockets, devices) are left out, as the
 * listing leaves them out or the server refuses them. An error from `readDir` (a subdirectory
 * that cannot be read) is thrown: a tree that cannot be walked whole is not archived in part.
 *
 * The walk stops as soon as the entries pass `limits.maxEntries`: that cap bounds its work (one
 * stat per entry) and its memory. Past `maxBytes` it goes on counting, within `maxEntries`, so
 * the refusal can say how large the tree is.
 *
 * @example
 * ```ts
 * const tree = await walkTree(fs, "docs", (name) => !name.startsWith("."), { maxEntries: 10_000, maxBytes: 2 ** 32 });
 * if (tree.fits) for (const entry of tree.entries) console.log(entry.name, entry.size);
 * ```
 */
export async function walkTree(
  fs: FileSystem,
  path: string,
  visible: Visible,
  limits: ArchiveLimits,
): Promise<ArchiveTree> {
  const entries: ArchiveEntry[] = [];
  let bytes = 0;
  // An entry whose time the store does not know (a prefix has none) is dated by the walk.
  const walked = Date.now();
  // A stack, not recursion: a tree may be deeper than a call stack likes (each symlink hop adds
  // a level until the kernel's ELOOP ends it), and the order comes out the same.
  const stack: Pending[] = await children(fs, path, "", visible);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (entries.length >= limits.maxEntries)
      return { fits: false, entries: entries.length + 1, bytes, complete: false };
    const { name, path: entryPath, stat } = next;
    const kind = stat.kind === "directory" ? "directory" : "file";
    const size = kind === "file" ? stat.size : 0;
    entries.push({ name, path: entryPath, kind, size, mtimeMs: stat.mtimeMs ?? walked });
    bytes += size;
    // A loop, not push(...rows): spreading a directory of a million entries overflows the stack.
    if (kind === "directory") for (const row of await children(fs, entryPath, name, visible)) stack.push(row);
  }
  if (bytes > limits.maxBytes) return { fits: false, entries: entries.length, bytes, complete: true };
  return { fits: true, entries, bytes };
}

/** The visible files and directories of `path`, in reverse name order (the stack pops them in order). */
async function children(fs: FileSystem, path: string, name: string, visible: Visible): Promise<Pending[]> {
  const atRoot = path === "";
  const rows: Pending[] = [];
  for (const row of await fs.readDir(path)) {
    if (row.stat === null || row.stat.kind === "other" || !visible(row.name, atRoot)) continue;
    rows.push({
      name: name === "" ? row.name : `${name}/${row.name}`,
      path: atRoot ? row.name : `${path}/${row.name}`,
      stat: row.stat,
    });
  }
  // By UTF-16 code units, as the names are: stable across runtimes and locales.
  return rows.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}
