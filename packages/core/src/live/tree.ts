/**
 * Watching a tree of folders, one watch per folder, skipping the ignored ones: the logic every
 * runtime shares, over each runtime's own call that watches a folder (node:fs.watch on Node and
 * Bun, Deno.watchFs on Deno).
 *
 * Why not a recursive watch: on Linux every recursive watcher (Node's `fs.watch(dir, { recursive:
 * true })`, Deno's `watchFs`) adds one inotify watch per folder of the whole tree, a
 * `node_modules/` of 20,000 folders included, and takes none out; the system's limit
 * (`fs.inotify.max_user_watches`) is shared by every program of the user. Here the ignored
 * folders are never walked, so they cost nothing (measured: docs/live-reload.md).
 *
 * @module
 */
import { type ChangeFeed, changeFeed } from "./feed.js";
import type { LiveReloadOptions } from "./live.js";

/** A runtime's way to list and watch folders; paths are relative to the root, `""` the root. */
export interface FolderWatcher {
  /** The names of the folders directly in `dir` (symlinks not followed: no loop, no way out). */
  folders(dir: string): Promise<string[]>;
  /** Whether `path` is a folder now (not a symlink to one). */
  isFolder(path: string): Promise<boolean>;
  /**
   * From now on, watch exactly `folders`, each without its subfolders, calling `event` with the
   * folder and the name of the entry that changed in it (`null` when the system gave no name).
   */
  watch(folders: readonly string[], event: (dir: string, name: string | null) => void): void;
  /** Stops every watch. */
  close(): void;
}

/** A running tree watch. */
export interface TreeWatch {
  /** The folders watched now, for tests and for the numbers in docs/live-reload.md. */
  readonly folders: ReadonlySet<string>;
  close(): void;
}

/**
 * Watches every folder under the root that `ignore` lets through, and reports each change to
 * `feed`: the path of what changed, or `null` when a folder appeared with what it holds already
 * inside (an editor's or a build's new folder: its files were written before a watch could see
 * them, so no page can tell whether it shows them) or the system named nothing.
 *
 * Atomic saves (write a temp file, rename it over the file) report the file's own name on its
 * folder's watch, which survives: the folder is watched, not the file.
 *
 * @param io the runtime's calls
 * @param feed where changes go
 * @param ignore paths left unwatched and unreported (their subtrees with them)
 * @returns the running watch, once every folder is watched
 * @example
 * ```ts
 * const watch = await watchTree(nodeFolderWatcher(root), feed, ignoredByDefault);
 * ```
 */
export async function watchTree(
  io: FolderWatcher,
  feed: ChangeFeed,
  ignore: (path: string) => boolean,
): Promise<TreeWatch> {
  const folders = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    folders.add(dir);
    const names = await io.folders(dir).catch(() => []);
    for (const name of names) {
      const path = joined(dir, name);
      if (!ignore(path) && !folders.has(path)) await walk(path);
    }
  };
  // Changes to the set of folders are made one after the other, in the order they were seen.
  let settled: Promise<void> = Promise.resolve();
  const event = (dir: string, name: string | null): void => {
    const path = name === null ? null : joined(dir, name);
    if (path === null) {
      feed.changed(null);
      return;
    }
    if (ignore(path)) return;
    feed.changed(path);
    settled = settled.then(async () => {
      const folder = await io.isFolder(path).catch(() => false);
      if (folder && !folders.has(path)) {
        await walk(path);
        feed.changed(null);
      } else if (!folder && folders.has(path)) {
        for (const watched of folders) if (watched === path || watched.startsWith(`${path}/`)) folders.delete(watched);
      } else return;
      io.watch([...folders], event);
    });
  };
  await walk("");
  io.watch([...folders], event);
  return { folders, close: () => io.close() };
}

function joined(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/**
 * Live reload's option for a handler, fed by a tree watch on `io`: what an adapter's
 * `serve({ liveReload })` starts, and stops with `close()`. A folder that cannot be watched is
 * told on stderr, once (the system's limit reached, most likely).
 *
 * @param io the runtime's folder watcher, made with the function it reports failures to
 * @param ignore paths (relative to the root) left unwatched
 * @returns the handler's `liveReload`, and how to stop watching
 * @example
 * ```ts
 * const live = await watchedChanges((failed) => nodeFolderWatcher(root, failed), ignoredByDefault);
 * createResponder({ fs, liveReload: live.options });
 * ```
 */
export async function watchedChanges(
  io: (failed: (error: unknown) => void) => FolderWatcher,
  ignore: (path: string) => boolean,
): Promise<{ options: LiveReloadOptions; close(): void }> {
  const feed = changeFeed();
  const watch = await watchTree(
    io((error) => console.error(watchFailure(error))),
    feed,
    ignore,
  );
  return { options: { changes: feed }, close: () => watch.close() };
}

/** The line that says a folder cannot be watched, and what to do when it is the system's limit. */
export function watchFailure(error: unknown): string {
  const code = error instanceof Error ? Reflect.get(error, "code") : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // ENOSPC is inotify's "no watch left" (inotify_add_watch(2)); Deno says "os error 28".
  const limit =
    code === "ENOSPC" || /os error 28\b/.test(message)
      ? " (the system's limit of watches: raise fs.inotify.max_user_watches, or keep big folders out)"
      : "";
  return `simplehttp: live reload cannot watch every folder: ${message}${limit}`;
}
