/**
 * Live reload's watcher on `node:fs`, for Node and Bun: one `fs.watch` per folder, under core's
 * tree logic (live/tree.ts), which never walks `node_modules/` or dot-folders. Loaded only when
 * live reload is on (`@simplehttp/disk/watch`), so a server without it never pays for it.
 *
 * Not `fs.watch(root, { recursive: true })`: on Linux, Node 20 watches every folder of the tree
 * with it, ignored ones included, and Bun 1.4 the same (docs/live-reload.md has the numbers).
 *
 * @module
 */
import { type FSWatcher, watch } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { type FolderWatcher, type LiveReloadOptions, watchedChanges } from "@simplehttp/core/live";

/**
 * The folders of `root` on `node:fs`: each watched on its own (libuv puts every watch of a process
 * on one inotify instance, so only the system's count of watches grows, by one a folder).
 *
 * @param root the served directory
 * @param failed told once of a folder that cannot be watched (the system's limit reached: `ENOSPC`)
 * @returns the watcher, for {@link watchTree}
 */
export function nodeFolderWatcher(root: string, failed: (error: unknown) => void): FolderWatcher {
  const watchers = new Map<string, FSWatcher>();
  let told = false;
  const fail = (error: unknown): void => {
    if (!told) failed(error);
    told = true;
  };
  return {
    folders: async (dir) =>
      (await readdir(join(root, dir), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name),
    isFolder: async (path) => (await lstat(join(root, path))).isDirectory(),
    watch(folders, event) {
      const wanted = new Set(folders);
      for (const [dir, watcher] of watchers) {
        if (wanted.has(dir)) continue;
        watcher.close();
        watchers.delete(dir);
      }
      for (const dir of wanted) {
        if (watchers.has(dir)) continue;
        try {
          // Not persistent: a watch alone never keeps the process running once the server closed.
          const watcher = watch(join(root, dir), { persistent: false }, (_, name) => event(dir, name ?? null));
          // A folder deleted under its watch ends it; the tree logic drops the folder on its event.
          watcher.on("error", () => {
            watcher.close();
            if (watchers.get(dir) === watcher) watchers.delete(dir);
          });
          watchers.set(dir, watcher);
        } catch (error) {
          // Gone already (ENOENT): its parent's event says so. Anything else is worth a word.
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") fail(error);
        }
      }
    },
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/**
 * Live reload's option for a handler serving `root`: its changes, watched until `close()`.
 *
 * @param root the served directory
 * @param ignore paths (relative to the root) left unwatched
 * @returns the handler's `liveReload`, and how to stop watching
 * @example
 * ```ts
 * const live = await liveReloadOf(root, ignoredByDefault);
 * const respond = createResponder({ fs, liveReload: live.options });
 * ```
 */
export function liveReloadOf(
  root: string,
  ignore: (path: string) => boolean,
): Promise<{ options: LiveReloadOptions; close(): void }> {
  return watchedChanges((failed) => nodeFolderWatcher(root, failed), ignore);
}
