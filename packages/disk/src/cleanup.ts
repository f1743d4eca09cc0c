/**
 * The clean-up after a crash: a process killed mid-write leaves its temporary files and folders
 * (temp.ts) behind, under names that say its pid. A filesystem that takes writes walks its tree
 * once when it starts, in turns (never holding the event loop for long), and removes those whose
 * process is gone. Never a live process's (another server on the same folder may be writing), and
 * never this one's, except one older than this process: the pid of a process that crashed is
 * often the next one's (a container's server is pid 1 every time).
 *
 * The walk follows no symlink, so it stays inside the root and ends.
 *
 * @module
 */
import { lstatSync, readdirSync } from "node:fs";
import { sep } from "node:path";
import { eachInTurns } from "@simplehttp/core";
import { lossy } from "./containment.js";
import { codeOf } from "./errors.js";
import { removeQuietly, tempOwner } from "./temp.js";

// The kernel stamps files from a clock that may lag the precise one by a tick (a few ms): a file
// this process made at its very start must not seem older than it.
const CLOCK_SLACK_MS = 100;
const SEPARATOR = Buffer.from(sep);

/**
 * Removes the temporary entries under `root` that no live process is writing: see the module's
 * comment. Entries that cannot be read or removed are left.
 *
 * @param root the root folder
 * @param startedMs when this process started (ms since the epoch): one of its own pid made before is stale
 * @returns how many were removed
 * @example
 * ```ts
 * const removed = await removeStaleTemps("/srv/www");
 * ```
 */
export async function removeStaleTemps(root: string, startedMs = performance.timeOrigin): Promise<number> {
  const stale: Buffer[] = [];
  const folders: Buffer[] = [Buffer.from(root)];
  for (let dir = folders.pop(); dir !== undefined; dir = folders.pop()) {
    let entries: Entry[];
    try {
      entries = entriesOf(dir);
    } catch {
      continue; // unreadable, or gone meanwhile
    }
    await eachInTurns(entries, ({ path, name, folder }) => {
      const owner = tempOwner(name);
      if (owner !== null) {
        if (isStale(path, owner, startedMs)) stale.push(path);
      } else if (folder) folders.push(path);
    });
  }
  for (const path of stale) await removeQuietly(path);
  return stale.length;
}

interface Entry {
  path: Buffer;
  name: string | Buffer;
  folder: boolean;
}

/**
 * The entries of `dir` and whether each is a folder (a link is not), from the types the listing
 * gives. Names are strings there, U+FFFD for bytes that are not UTF-8; a folder that shows one is
 * read again as bytes, each entry then lstat'ed (Bun gives no types with names as bytes).
 */
function entriesOf(dir: Buffer): Entry[] {
  const childOf = (name: string | Buffer): Buffer => Buffer.concat([dir, SEPARATOR, Buffer.from(name)]);
  const typed = readdirSync(dir, { withFileTypes: true });
  if (!typed.some((entry) => lossy(entry.name))) {
    return typed.map((entry) => ({ path: childOf(entry.name), name: entry.name, folder: entry.isDirectory() }));
  }
  return readdirSync(dir, { encoding: "buffer" }).map((name) => {
    const path = childOf(name);
    return { path, name, folder: lstatSync(path, { throwIfNoEntry: false })?.isDirectory() === true };
  });
}

/** Whether the temporary entry `path`, named by process `owner`, is left from a process that is gone. */
function isStale(path: Buffer, owner: number, startedMs: number): boolean {
  if (owner !== process.pid) return !alive(owner);
  const stats = lstatSync(path, { throwIfNoEntry: false });
  // ctime, not mtime: a write sets the mtime a client asked for, and no process can set the ctime back.
  return stats !== undefined && stats.ctimeMs < startedMs - CLOCK_SLACK_MS;
}

/** Whether process `pid` is running: signal 0 tests it, and EPERM means it is, as another user's. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) !== "ESRCH";
  }
}
