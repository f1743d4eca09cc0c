/**
 * Where a write goes: the real folder of its target, proven inside the root as a read proves a
 * path (containment.ts), and the target's name in it. Every write works in that real folder, never
 * through the path asked, so a link on the way is resolved once and checked.
 *
 * @module
 */
import { mkdirSync, rmdirSync, statSync } from "node:fs";
import { isAbsent, notServable } from "@simplehttp/core";
import type { Containment } from "./containment.js";
import { codeOf, failure, shown } from "./errors.js";
import { entryPath, type RootPaths } from "./names.js";
import { isTempName } from "./temp.js";

/** A write's target: its folder's real path, its name, and its path in that folder. */
export interface Place {
  dir: string | Buffer;
  name: string;
  path: string | Buffer;
}

/**
 * The place of a core path (`/`-separated, checked by the core): see {@link places}.
 * `parents` creates the missing folders on the way, one at a time, each checked.
 */
export type PlaceOf = (path: string, parents?: boolean) => Place;

/**
 * The places under the root of `paths`. A folder on the way that is missing, is not a folder, or
 * (unless every symlink is followed) leads out of the root through a link is `ENOENT` or
 * `ENOTDIR`, as a read of it would be. A name starting as the temporary names do is `EINVAL`: the
 * core refuses such names first, and no write may make one but its own.
 *
 * @param paths the root and the system's path for each core path
 * @param inRoot the root's containment, or null when every symlink is followed
 * @example
 * ```ts
 * const placeOf = places(rootPaths("/srv/www"), containment("/srv/www"));
 * placeOf("docs/a.txt"); // { dir: "/srv/www/docs", name: "a.txt", path: "/srv/www/docs/a.txt" }
 * ```
 */
export function places({ base, full }: RootPaths, inRoot: Containment | null): PlaceOf {
  const realDir = (target: string | Buffer): string | Buffer => {
    const real = inRoot === null ? target : inRoot.realInside(target);
    if (real === null) throw notServable(target, "missing, or outside the root");
    if (!statSync(real).isDirectory()) throw failure("ENOTDIR", `not a folder: ${shown(target)}`);
    return real;
  };

  // Each missing folder made in the real folder found for the one before it, then found and
  // checked itself: a link planted on the way is resolved and refused when it leads out, and a
  // folder this made where a swapped link led is removed again.
  const made = (parent: string): string | Buffer => {
    let dir = realDir(base);
    for (const name of parent.split("/")) {
      refuseTempName(name);
      const next = entryPath(dir)(name);
      const created = makeIfMissing(next);
      try {
        dir = realDir(next);
      } catch (error) {
        if (created) removeEmpty(next);
        throw error;
      }
    }
    return dir;
  };

  return (path, parents = false) => {
    const slash = path.lastIndexOf("/");
    const [parent, name] = [slash < 0 ? "" : path.slice(0, slash), path.slice(slash + 1)];
    refuseTempName(name);
    let dir: string | Buffer;
    try {
      dir = realDir(full(parent));
    } catch (error) {
      if (!parents || parent === "" || !isAbsent(error)) throw error;
      dir = made(parent);
    }
    return { dir, name, path: entryPath(dir)(name) };
  };
}

/** Refuses a name the temporary files use: the core never asks for one. */
function refuseTempName(name: string): void {
  if (isTempName(name)) throw failure("EINVAL", `a name reserved for temporary files: ${name}`);
}

/** Makes the folder `path` unless something is there (a link too: mkdir never follows one); whether it did. */
function makeIfMissing(path: string | Buffer): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch (error) {
    if (codeOf(error) === "EEXIST") return false;
    throw error;
  }
}

/** Removes a folder this made, when it still is an empty one. */
function removeEmpty(path: string | Buffer): void {
  try {
    rmdirSync(path);
  } catch {
    // gone, or no longer empty: not ours to touch
  }
}
