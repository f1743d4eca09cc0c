/**
 * Where live reload learns what changed: a {@link ChangeSource} the adapter feeds (its watcher of
 * the root) and the handler reads, with the bursts a build makes gathered into one batch.
 *
 * @module
 */

/**
 * One batch of changes: paths relative to the root (`/`-separated, no leading `/`), or `null`
 * when the watcher cannot say what changed (an event without a name, a folder it lost track of),
 * which reloads every page.
 */
export type Changes = readonly string[] | null;

/** A source of changes under the root, as the handler's `liveReload` option takes it. */
export interface ChangeSource {
  /**
   * Calls `listener` with each batch of changes until the returned function is called.
   * @example const stop = source.subscribe((paths) => console.log(paths));
   */
  subscribe(listener: (changes: Changes) => void): () => void;
}

/** A {@link ChangeSource} fed by hand: what an adapter's watcher reports, gathered into batches. */
export interface ChangeFeed extends ChangeSource {
  /** Reports a change of `path` (relative to the root), or `null` for one the watcher cannot name. */
  changed(path: string | null): void;
}

/** How long changes are gathered into one batch. */
export interface FeedTiming {
  /**
   * The batch goes out once no change came for this long: an editor's save (a temp file, a
   * rename) is one batch, and a build writing 500 files in a row too.
   * @default 40
   * @example 100
   */
  quietMs?: number;
  /**
   * ... or this long after its first change, so a build that never pauses still shows.
   * @default 1000
   * @example 2000
   */
  maxWaitMs?: number;
}

/**
 * A feed that gathers the changes reported to it into batches ({@link FeedTiming}) and hands
 * each batch to every subscriber. A path reported twice in a batch is in it once.
 *
 * @param timing how long a batch gathers
 * @returns the feed
 * @example
 * ```ts
 * const feed = changeFeed();
 * watcher.on("change", (path) => feed.changed(path));
 * createHandler({ fs, liveReload: { changes: feed } });
 * ```
 */
export function changeFeed({ quietMs = 40, maxWaitMs = 1000 }: FeedTiming = {}): ChangeFeed {
  const listeners = new Set<(changes: Changes) => void>();
  let batch: Set<string> | null = new Set();
  let first = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = (): void => {
    timer = undefined;
    const changes = batch === null ? null : [...batch];
    batch = new Set();
    for (const listener of listeners) listener(changes);
  };
  return {
    changed(path) {
      const now = Date.now();
      if (timer === undefined) first = now;
      else clearTimeout(timer);
      if (path === null) batch = null;
      else batch?.add(path);
      timer = setTimeout(flush, Math.max(0, Math.min(quietMs, first + maxWaitMs - now)));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * Whether live reload leaves `path` (relative to the root) unwatched: anything under a dot-name
 * (`.git/`, an editor's `.file.swp`), as the server hides them by default, and anything under
 * `node_modules/`, whose thousands of folders would each cost the system a watch.
 *
 * @example ignoredByDefault("node_modules/react/index.js") // true
 */
export function ignoredByDefault(path: string): boolean {
  return path.split("/").some((segment) => segment.startsWith(".") || segment === "node_modules");
}
