/**
 * Names directly under the root known to be missing, such as the site's `404.html` when it has
 * none: asked on every 404.
 *
 * A missing path costs a disk adapter a throw: on Deno a stat's, some 9 µs, four times a stat that
 * finds something; on Node and Bun an open's (measured on the 2-core machine of
 * docs/performance.md). A 404 asked for the path and then for `404.html`, two throws, where the
 * floor of issue 21 pays one. So a miss under the root is remembered with the root's own state
 * (device, inode and modification time, as the adapter's `rootState` reads them), and while the
 * root's state is the same, the name is still missing: creating, renaming or removing an entry of
 * a folder changes its modification time (POSIX, for every file system the server runs on).
 *
 * It cannot hide a file created afterwards:
 * - the root's state is read before the stat that finds nothing, and the miss is recorded with
 *   that state: a file created after it was read changes it;
 * - a file system's clock is coarse (Linux stamps a folder from a clock that may lag by a few
 *   milliseconds, and Deno gives milliseconds), so two changes close together may leave one
 *   time: a state is used only when the root's time is more than a second old ({@link SETTLED_MS},
 *   which `rootState` applies), and a change after that cannot give the root the time it had.
 * Only names directly under the root, whose folder is the root itself, never a path through
 * another folder (which a link could replace without touching the root's time); and only a name
 * with no entry at all (`hasEntry`), never a link that leads nowhere yet, whose target may be
 * created elsewhere without touching the root's time. Reading the
 * root's state costs a stat, so only a name missed twice is watched: a name asked once (a typo,
 * a scan) costs nothing more.
 *
 * @module
 */

/** A state of the root whose time is younger than this is not used: see above. */
export const SETTLED_MS = 1000;
// At most this many names are watched or remembered: a client asking for random names empties them.
const MAX_NAMES = 256;

/** Answers what a stat would for a name under the root, from the record of misses when it can. */
export interface RootAbsences {
  /** `stat()`'s answer for `name` (a path under the root), or null from the record. */
  statUnder<T>(name: string, stat: () => T | null): T | null;
  /**
   * Whether every one of `names` is recorded missing and the root's state, read once now, is the
   * one they were recorded in: as sure as a stat of each made now (see the module's comment).
   * False when it cannot tell; it records nothing (only `statUnder` does).
   */
  allMissing(names: readonly string[]): boolean;
}

/**
 * The record of names missing under a root whose state `rootState` reads.
 *
 * @param rootState the root's device, inode and modification time as one string, or "" when it
 *   cannot be read or its time is less than {@link SETTLED_MS} old ({@link rootStateOf})
 * @param hasEntry whether the root holds an entry of that name, whatever it is or leads to (an
 *   lstat): a name is recorded only when it has none
 * @returns the record's lookup
 * @example
 * ```ts
 * const absences = rootAbsences(() => rootStateOf(dev, ino, mtimeMs), (name) => lstatOrNull(name) !== null);
 * const found = absences.statUnder("404.html", () => statOrNull("/srv/www/404.html"));
 * ```
 */
export function rootAbsences(rootState: () => string, hasEntry: (name: string) => boolean): RootAbsences {
  const missing = new Set<string>(); // names missing while the root is in `state`
  const suspects = new Set<string>(); // names found missing once
  let state = "";
  const remember = (set: Set<string>, name: string): void => {
    if (set.size >= MAX_NAMES) set.clear();
    set.add(name);
  };

  return {
    statUnder(name, stat) {
      if (name === "" || name.includes("/")) return stat();
      const watched = missing.has(name) || suspects.has(name);
      if (!watched) {
        const found = stat();
        if (found === null) remember(suspects, name);
        return found;
      }
      const before = rootState();
      if (before !== "" && before === state && missing.has(name)) return null;
      if (before !== state) missing.clear(); // the root changed: nothing recorded holds
      const found = stat();
      if (found === null && before !== "" && !hasEntry(name)) {
        state = before;
        remember(missing, name);
      }
      return found;
    },

    allMissing(names) {
      if (missing.size === 0 || !names.every((name) => missing.has(name))) return false;
      const now = rootState();
      return now !== "" && now === state;
    },
  };
}

/**
 * A root's state for {@link rootAbsences}: its device, inode and time, or "" when the time is
 * unknown or less than {@link SETTLED_MS} old.
 *
 * @param dev the root's device number
 * @param ino its inode number
 * @param mtimeMs its modification time, undefined when the system keeps none
 * @returns the state, or ""
 * @example
 * ```ts
 * const { dev, ino, mtimeMs } = statSync("/srv/www");
 * rootStateOf(dev, ino, mtimeMs);
 * ```
 */
export function rootStateOf(dev: number | null, ino: number | null, mtimeMs: number | undefined): string {
  if (mtimeMs === undefined || Date.now() - mtimeMs < SETTLED_MS) return "";
  return `${dev}:${ino}:${mtimeMs}`;
}
