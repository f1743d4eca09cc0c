/// <reference types="node" />
/**
 * The clean-up after a crash, as @simplehttp/disk's cleanup.ts does it (its comment says which
 * temporary entries are removed and why), with Deno's calls. Deno reads a name that is not UTF-8
 * with U+FFFD for its bytes, which names another folder or none: such a folder is not walked (a
 * temporary name is plain ASCII, and so is found in any other).
 *
 * @module
 */
import process from "node:process";
import { eachInTurns } from "@simplehttp/core";
import { codeOf } from "./errors.ts";
import { lstatOrNull, removeQuietly, tempOwner } from "./temp.ts";

// Deno gives change times in whole seconds (measured on Deno 2.9.6), and the kernel's clock may
// lag the precise one by a tick: a file this process made at its start must not seem older.
const CLOCK_SLACK_MS = 1100;

/**
 * Removes the temporary entries under `root` that no live process is writing, and answers how many.
 *
 * @param root the root folder
 * @param startedMs when this process started: one of its own pid made before is stale
 * @example const removed = await removeStaleTemps("/srv/www");
 */
export async function removeStaleTemps(root: string, startedMs = performance.timeOrigin): Promise<number> {
  const stale: string[] = [];
  const folders = [root];
  for (let dir = folders.pop(); dir !== undefined; dir = folders.pop()) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      continue; // unreadable, or gone meanwhile
    }
    const parent = dir;
    await eachInTurns(entries, ({ name, isDirectory }) => {
      const owner = tempOwner(name);
      if (owner !== null) {
        if (isStale(`${parent}/${name}`, owner, startedMs)) stale.push(`${parent}/${name}`);
      } else if (isDirectory) folders.push(`${parent}/${name}`);
    });
  }
  for (const path of stale) await removeQuietly(path);
  return stale.length;
}

function isStale(path: string, owner: number, startedMs: number): boolean {
  if (owner !== Deno.pid) return !alive(owner);
  const changed = lstatOrNull(path)?.ctime?.getTime();
  return changed !== undefined && changed < startedMs - CLOCK_SLACK_MS;
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
