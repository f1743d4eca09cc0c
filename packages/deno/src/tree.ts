/**
 * `mkdir`, `remove`, `move` and `copy` on Deno, by the rules of @simplehttp/disk's tree.ts (its
 * comment says why each): every path placed inside the root, a symlink never followed by a change
 * nor replaced, each change of names one synchronous step.
 *
 * @module
 */
import { type FileWrites, notServable } from "@simplehttp/core";
import { syncFolder } from "./bytes.ts";
import type { Containment } from "./containment.ts";
import { copyToTemp } from "./copy.ts";
import { codeOf, errorWithCode, failure } from "./errors.ts";
import type { Place, PlaceOf } from "./places.ts";
import { lstatOrNull, makeFolderVerified, removeQuietly, tempName } from "./temp.ts";
import { linkNew } from "./write.ts";

/**
 * The writes of names and folders under `placeOf`'s root.
 *
 * @example await treeWrites(places(paths, inside), inside).mkdir("docs");
 */
export function treeWrites(placeOf: PlaceOf, inside: Containment | null): Omit<FileWrites, "put"> {
  return {
    async mkdir(path) {
      const place = placeOf(path);
      makeFolderVerified(place.path, inside);
      await syncFolder(place.dir);
    },

    async remove(path) {
      const place = placeOf(path);
      await removeEntry(place, lstatHere(place.path));
      await syncFolder(place.dir);
    },

    async move(from, to, overwrite) {
      const [source, target] = [placeOf(from), placeOf(to)];
      const moved = lstatHere(source.path);
      refuseInside(target.path, source.path);
      try {
        const created = await takeName(source.path, moved.isDirectory, target, overwrite);
        await syncFolder(source.dir);
        return { created };
      } catch (error) {
        if (codeOf(error) !== "EXDEV") throw errorWithCode(error);
      }
      // Another filesystem is mounted on the way: copied whole there, then the source removed.
      const created = await copyInto(source.path, target, overwrite);
      await removeEntry(source, moved);
      await syncFolder(source.dir);
      return { created };
    },

    async copy(from, to, overwrite) {
      const [source, target] = [placeOf(from), placeOf(to)];
      const real = inside === null ? source.path : inside.resolve(source.path);
      if (real === null) throw notServable(source.path, "missing, or outside the root");
      refuseInside(target.path, real);
      refuseTaking(lstatOrNull(target.path), target, overwrite);
      return { created: await copyInto(real, target, overwrite) };
    },
  };

  async function copyInto(from: string, target: Place, overwrite: boolean): Promise<boolean> {
    const temp = await copyToTemp(from, target.dir, inside);
    try {
      return await takeName(temp, lstatHere(temp).isDirectory, target, overwrite);
    } catch (error) {
      await removeQuietly(temp);
      throw errorWithCode(error);
    }
  }
}

/** The lstat of `path`; `ENOENT` when nothing is there. */
function lstatHere(path: string): Deno.FileInfo {
  const info = lstatOrNull(path);
  if (info === null) throw failure("ENOENT", `nothing at ${path}`);
  return info;
}

/** Gives the entry at `from` the name of `target` in one synchronous step (see the disk's tree.ts). */
async function takeName(from: string, isFolder: boolean, target: Place, overwrite: boolean): Promise<boolean> {
  const present = lstatOrNull(target.path);
  refuseTaking(present, target, overwrite);
  let aside: string | null = null;
  if (present === null && !isFolder) linkNew(from, target.path);
  else if (present === null || (present.isFile && !isFolder)) Deno.renameSync(from, target.path);
  else {
    aside = `${target.dir}/${tempName()}`;
    Deno.renameSync(target.path, aside);
    try {
      Deno.renameSync(from, target.path);
    } catch (error) {
      Deno.renameSync(aside, target.path);
      throw error;
    }
  }
  await syncFolder(target.dir);
  if (aside !== null) await removeQuietly(aside);
  return present === null;
}

/** Refuses to replace `present` at `target`: a link or a special file never, anything else only with `overwrite`. */
function refuseTaking(present: Deno.FileInfo | null, target: Place, overwrite: boolean): void {
  if (present === null) return;
  if (!present.isFile && !present.isDirectory) {
    throw failure("EEXIST", `${target.path} is a link or a special file: never replaced`);
  }
  if (!overwrite) throw failure("EEXIST", `${target.path} is there`);
}

/** Removes the entry at `place`: a file or a link at once, a folder renamed aside first (see the disk's tree.ts). */
async function removeEntry(place: Place, info: Deno.FileInfo): Promise<void> {
  if (!info.isDirectory) return Deno.removeSync(place.path);
  const aside = `${place.dir}/${tempName()}`;
  Deno.renameSync(place.path, aside);
  await removeQuietly(aside);
}

/** `EINVAL` when `inner` is `outer` or lies under it: a folder moved or copied into itself. */
function refuseInside(inner: string, outer: string): void {
  if (inner === outer || inner.startsWith(`${outer}/`)) throw failure("EINVAL", `${inner} is ${outer} or inside it`);
}
