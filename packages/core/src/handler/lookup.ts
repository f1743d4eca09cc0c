/**
 * How the handler finds what a path names: the lookup strategy, chosen once per handler from the
 * filesystem it serves.
 *
 * - A disk: `stat`, then `read` only when the answer needs bytes. A local stat costs microseconds,
 *   less than reading a body that a 304 or a HEAD would throw away.
 * - A store (a `FileSystem` with `open`, see fs/file-system.ts): one call finds a file and its
 *   bytes, and a folder (`dir/`) is a key prefix, listed at once (one `list` per page) with its
 *   index page found in that listing rather than asked for by each index name.
 *
 * @module
 */
import { statusForError } from "../fs/errors.js";
import type { DirEntry, FileSystem, OpenedFile, RangeHint } from "../fs/file-system.js";
import type { ResolvedPath } from "../fs/resolve.js";
import { DIRECTORY_STAT } from "../fs/store.js";
import { rangeHint } from "../http/range.js";
import { STATUS } from "../http/status.js";

/** What a folder holds for its answer: an index page, or the entries to list. */
export type FolderContents =
  | { kind: "index"; path: string; name: string; file: OpenedFile }
  /** `entries`: the folder's entries when the lookup already read them. */
  | { kind: "entries"; entries?: readonly DirEntry[] };

/** The lookup strategy; see {@link lookupFor}. */
export interface Lookup {
  /** What `resolved` names: a file (a store gives its bytes too), a folder's stat, or `null`. */
  locate(request: Request, resolved: ResolvedPath): Promise<OpenedFile | null>;
  /** A folder's index page (the first of `index` that is a file) or its entries; `null` when no such folder. */
  contents(request: Request, resolved: ResolvedPath, index: readonly string[]): Promise<FolderContents | null>;
  /** A file that may answer `request` in place of its path (a fallback); `null` unless it is a file. */
  candidate(request: Request, path: string): Promise<OpenedFile | null>;
  /** The whole file at `path`, for a page sent with another status (the site's 404 page). */
  page(path: string, head: boolean): Promise<OpenedFile | null>;
}

/**
 * The lookup for `fs`: the store's when it has `open`, else the disk's.
 *
 * @param fs The filesystem the handler serves.
 * @returns The strategy every request of that handler uses.
 * @example
 * ```ts
 * const lookup = lookupFor(memoryFileSystem({ "a.txt": "a" }));
 * const found = await lookup.locate(request, resolvePath("/a.txt", "ignore") as ResolvedPath);
 * ```
 */
export function lookupFor(fs: FileSystem): Lookup {
  return fs.open === undefined ? diskLookup(fs) : storeLookup(fs, fs.open.bind(fs));
}

const inFolder = (folder: string, name: string): string => (folder === "" ? name : `${folder}/${name}`);

/** The metadata alone, as an opened file with no body yet. */
function statOnly(fs: FileSystem, path: string): Promise<OpenedFile | null> {
  return fs.stat(path).then((stat) => (stat === null ? null : { stat, body: null, range: null }));
}

function diskLookup(fs: FileSystem): Lookup {
  return {
    locate: (_request, resolved) => statOnly(fs, resolved.path),
    async contents(_request, resolved, index) {
      for (const name of index) {
        const path = inFolder(resolved.path, name);
        const file = await statOnly(fs, path);
        if (file?.stat.kind === "file") return { kind: "index", path, name, file };
      }
      return { kind: "entries" };
    },
    candidate: (_request, path) => statOnly(fs, path),
    page: (path) => statOnly(fs, path),
  };
}

type Open = NonNullable<FileSystem["open"]>;
// `dir/` in a store is a prefix: listed, never stat'ed (the listing tells whether it exists).
const FOLDER: OpenedFile = Object.freeze({ stat: DIRECTORY_STAT, body: null, range: null });

function storeLookup(fs: FileSystem, open: Open): Lookup {
  // A HEAD needs no bytes: a metadata call. `filesOnly`: a prefix is no answer (fallbacks, index).
  const opened = (path: string, head: boolean, hint: RangeHint | undefined, filesOnly: boolean) =>
    head ? statOnly(fs, path) : open(path, hint, filesOnly);
  // With If-Range the store's range may not be the one to send: it reads whole, and the core reads
  // the range again if it applies (rare: resumed downloads of a changed file). Several ranges (no
  // hint) are read part by part after a metadata call: a whole read first would be thrown away.
  const forRequest = (request: Request, path: string, filesOnly: boolean): Promise<OpenedFile | null> => {
    const range = request.headers.get("range");
    const hint = request.headers.has("if-range") ? undefined : rangeHint(range);
    return opened(path, request.method === "HEAD" || (range !== null && hint === undefined), hint, filesOnly);
  };
  return {
    locate(request, resolved) {
      if (resolved.trailingSlash) return Promise.resolve(FOLDER);
      return resolved.path === "" ? statOnly(fs, "") : forRequest(request, resolved.path, false);
    },
    async contents(request, resolved, index) {
      let entries: DirEntry[];
      try {
        entries = await fs.readDir(resolved.path);
      } catch (thrown) {
        if (statusForError(thrown) === STATUS.NotFound) return null; // no key under this prefix
        throw thrown;
      }
      for (const name of index) {
        if (!entries.some((entry) => entry.name === name && entry.stat?.kind === "file")) continue;
        const path = inFolder(resolved.path, name);
        const file = await forRequest(request, path, true);
        if (file?.stat.kind === "file") return { kind: "index", path, name, file };
      }
      return { kind: "entries", entries };
    },
    candidate: (request, path) => forRequest(request, path, true),
    page: (path, head) => opened(path, head, undefined, true),
  };
}
