/**
 * Live reload's watcher on Deno: `Deno.watchFs` under core's tree logic (live/tree.ts), which
 * never walks `node_modules/` or dot-folders. Loaded only when live reload is on.
 *
 * Every `Deno.watchFs` call opens an inotify instance of its own, and a user has 128 of them
 * (`fs.inotify.max_user_instances`), so the folders are watched in one call, not one call each:
 * when the set changes (a folder made or removed), the call is made again with the new set.
 * A recursive `watchFs` of the root would need one call only, but it watches `node_modules/` too
 * (docs/live-reload.md has the numbers).
 *
 * @module
 */
import { type FolderWatcher, type LiveReloadOptions, watchedChanges } from "@simplehttp/core/live";

/**
 * The folders of `root` on Deno's calls, for {@link watchTree}.
 *
 * @param root the served directory, absolute
 * @param failed told of a set of folders that cannot be watched
 */
export function denoFolderWatcher(root: string, failed: (error: unknown) => void): FolderWatcher {
  let current: Deno.FsWatcher | null = null;
  const close = (): void => {
    current?.close();
    current = null;
  };
  return {
    async folders(dir) {
      const names: string[] = [];
      for await (const entry of Deno.readDir(`${root}/${dir}`)) if (entry.isDirectory) names.push(entry.name);
      return names;
    },
    isFolder: async (path) => (await Deno.lstat(`${root}/${path}`)).isDirectory,
    watch(folders, event) {
      close();
      // A folder removed since the walk would make the whole call fail: watch those still there.
      const paths = folders.map((dir) => (dir === "" ? root : `${root}/${dir}`)).filter(isFolder);
      let watcher: Deno.FsWatcher;
      try {
        watcher = Deno.watchFs(paths, { recursive: false });
      } catch (error) {
        failed(error);
        return;
      }
      current = watcher;
      void (async () => {
        for await (const { kind, paths: changed } of watcher) {
          if (kind === "access") continue;
          for (const path of changed) {
            const slash = path.lastIndexOf("/");
            if (!path.startsWith(`${root}/`) || slash < root.length) continue;
            event(path.slice(root.length + 1, Math.max(root.length + 1, slash)), path.slice(slash + 1));
          }
        }
      })().catch(failed);
    },
    close,
  };
}

function isFolder(path: string): boolean {
  try {
    return Deno.lstatSync(path).isDirectory;
  } catch {
    return false;
  }
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
 * const handler = createHandler({ fs, liveReload: live.options });
 * ```
 */
export function liveReloadOf(
  root: string,
  ignore: (path: string) => boolean,
): Promise<{ options: LiveReloadOptions; close(): void }> {
  return watchedChanges((failed) => denoFolderWatcher(Deno.realPathSync(root), failed), ignore);
}
