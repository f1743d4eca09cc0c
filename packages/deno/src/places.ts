/**
 * Where a write goes: the real folder of its target, proven inside the root, and the target's name
 * in it, as @simplehttp/disk's places.ts finds them (its comment says why), with Deno's calls.
 *
 * @module
 */
import { isAbsent, notServable, UPLOAD_TEMP_PREFIX } from "@simplehttp/core";
import type { Containment } from "./containment.ts";
import { errorWithCode, failure } from "./errors.ts";
import type { RootPaths } from "./paths.ts";

/** A write's target: its folder's real path, its name, and its path in that folder. */
export interface Place {
  dir: string;
  name: string;
  path: string;
}

/** The place of a core path; `parents` creates the missing folders on the way, each checked. */
export type PlaceOf = (path: string, parents?: boolean) => Place;

/**
 * The places under the root of `paths`: a folder on the way that is missing, is not a folder, or
 * (unless every symlink is followed) leads out of the root is `ENOENT` or `ENOTDIR`; a name that
 * starts as the temporary names do is `EINVAL`.
 *
 * @example
 * ```ts
 * const placeOf = places(rootPaths("/srv/www"), containment("/srv/www"));
 * placeOf("docs/a.txt"); // { dir: "/srv/www/docs", name: "a.txt", path: "/srv/www/docs/a.txt" }
 * ```
 */
export function places({ base, full }: RootPaths, inside: Containment | null): PlaceOf {
  const realDir = (target: string): string => {
    const real = inside === null ? target : inside.resolve(target);
    if (real === null) throw notServable(target, "missing, or outside the root");
    let isDirectory: boolean;
    try {
      isDirectory = Deno.statSync(real).isDirectory;
    } catch (error) {
      throw errorWithCode(error);
    }
    if (!isDirectory) throw failure("ENOTDIR", `not a folder: ${target}`);
    return real;
  };

  // Each missing folder made in the real folder found for the one before it, then checked itself.
  const made = (parent: string): string => {
    let dir = realDir(base);
    for (const name of parent.split("/")) {
      refuseTempName(name);
      const next = `${dir}/${name}`;
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
    full(path); // a name Deno cannot spell, anywhere on the path, is refused as for reads
    const slash = path.lastIndexOf("/");
    const [parent, name] = [slash < 0 ? "" : path.slice(0, slash), path.slice(slash + 1)];
    refuseTempName(name);
    let dir: string;
    try {
      dir = realDir(full(parent));
    } catch (error) {
      if (!parents || parent === "" || !isAbsent(error)) throw error;
      dir = made(parent);
    }
    return { dir, name, path: `${dir}/${name}` };
  };
}

function refuseTempName(name: string): void {
  if (name.startsWith(UPLOAD_TEMP_PREFIX)) throw failure("EINVAL", `a name reserved for temporary files: ${name}`);
}

/** Makes the folder `path` unless something is there (a link too: mkdir never follows one); whether it did. */
function makeIfMissing(path: string): boolean {
  try {
    Deno.mkdirSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw errorWithCode(error);
  }
}

/** Removes a folder this made, when it still is an empty one. */
function removeEmpty(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // gone, or no longer empty: not ours to touch
  }
}
