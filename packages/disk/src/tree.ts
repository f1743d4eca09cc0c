/**
 * `mkdir`, `remove`, `move` and `copy` on the disk: every path touched is placed (places.ts), so
 * its real folder is proven inside the root; a symlink is never followed by a change (a remove
 * removes the link, a move moves it) and never replaced. Each change of names happens in one
 * synchronous step, so no other write of this process comes between its check and its rename
 * (write.ts says why that is the lock).
 *
 * @module
 */
import { lstatSync, renameSync, type Stats, unlinkSync } from "node:fs";
import { sep } from "node:path";
import { type FileWrites, notServable } from "@simplehttp/core";
import { syncFolder } from "./bytes.js";
import { type CopyRule, copyToTemp } from "./copy.js";
import { codeOf, failure, shown } from "./errors.js";
import { entryPath } from "./names.js";
import type { Place, PlaceOf } from "./places.js";
import { makeFolderVerified, removeQuietly, tempName } from "./temp.js";
import { linkNew } from "./write.js";

/**
 * The disk's writes of names and folders under `placeOf`'s root.
 *
 * @param placeOf where each path is (places.ts)
 * @param rule what may be opened and made (the root's containment)
 * @example
 * ```ts
 * const { mkdir } = treeWrites(places(paths, inRoot), { inRoot, viaProc: true });
 * await mkdir("docs");
 * ```
 */
export function treeWrites(placeOf: PlaceOf, rule: CopyRule): Omit<FileWrites, "put"> {
  return {
    async mkdir(path) {
      const place = placeOf(path);
      // mkdir never follows a link at its name, a dangling one included: EEXIST.
      makeFolderVerified(place.path, rule.inRoot);
      await syncFolder(place.dir);
    },

    async remove(path) {
      const place = placeOf(path);
      await removeEntry(place, lstatSync(place.path));
      await syncFolder(place.dir);
    },

    async move(from, to, overwrite) {
      const [source, target] = [placeOf(from), placeOf(to)];
      const moved = lstatSync(source.path); // ENOENT when absent; a link is moved as itself
      refuseInside(target.path, source.path);
      try {
        const created = await takeName(source.path, moved.isDirectory(), target, overwrite);
        await syncFolder(source.dir);
        return { created };
      } catch (error) {
        if (codeOf(error) !== "EXDEV") throw error;
      }
      // Another filesystem is mounted on the way: copied whole there, then the source removed.
      const created = await copyInto(source.path, target, overwrite);
      await removeEntry(source, moved);
      await syncFolder(source.dir);
      return { created };
    },

    async copy(from, to, overwrite) {
      const [source, target] = [placeOf(from), placeOf(to)];
      // The source as a read sees it: a link inside the root is followed, one leading out is missing.
      const real = rule.inRoot === null ? source.path : rule.inRoot.realInside(source.path);
      if (real === null) throw notServable(source.path, "missing, or outside the root");
      refuseInside(target.path, real);
      // Checked before a copy that may take long, and again when the copy takes the name.
      refuseTaking(lstatSync(target.path, { throwIfNoEntry: false }), target, overwrite);
      return { created: await copyInto(real, target, overwrite) };
    },
  };

  /** Copies `from` to a temporary name beside `target`, which then takes the target's name. */
  async function copyInto(from: string | Buffer, target: Place, overwrite: boolean): Promise<boolean> {
    const temp = await copyToTemp(from, target.dir, rule);
    try {
      return await takeName(temp, lstatSync(temp).isDirectory(), target, overwrite);
    } catch (error) {
      await removeQuietly(temp);
      throw error;
    }
  }
}

/**
 * Gives the entry at `from` the name of `target`, in one synchronous step, then flushes the
 * target's folder and removes what was replaced: whether the name is new. A file takes a free
 * name through link(2) (linkNew): `EEXIST` atomically, whoever made it. What is replaced (with
 * `overwrite`) is swapped for `from` by renames: a file at once; a folder, or a file by a folder,
 * is first renamed aside to a temporary name, then removed once `from` has its place.
 */
async function takeName(from: string | Buffer, isFolder: boolean, target: Place, overwrite: boolean): Promise<boolean> {
  const present = lstatSync(target.path, { throwIfNoEntry: false });
  refuseTaking(present, target, overwrite);
  let aside: string | Buffer | null = null;
  if (present === undefined && !isFolder) linkNew(from, target.path);
  else if (present === undefined || (present.isFile() && !isFolder)) renameSync(from, target.path);
  else {
    aside = entryPath(target.dir)(tempName());
    renameSync(target.path, aside);
    try {
      renameSync(from, target.path);
    } catch (error) {
      renameSync(aside, target.path);
      throw error;
    }
  }
  await syncFolder(target.dir);
  if (aside !== null) await removeQuietly(aside);
  return present === undefined;
}

/** Refuses to replace `present` at `target`: a link or a special file never, anything else only with `overwrite`. */
function refuseTaking(present: Stats | undefined, target: Place, overwrite: boolean): void {
  if (present === undefined) return;
  if (!present.isFile() && !present.isDirectory()) {
    throw failure("EEXIST", `${shown(target.path)} is a link or a special file: never replaced`);
  }
  if (!overwrite) throw failure("EEXIST", `${shown(target.path)} is there`);
}

/**
 * Removes the entry at `place` (`stats`, its lstat): a file or a link at once; a folder is renamed
 * to a temporary name first, so it leaves its name in one step, then emptied in the thread pool
 * without following a link (a crash in between leaves the temporary folder to the next start).
 */
async function removeEntry(place: Place, stats: Stats): Promise<void> {
  if (!stats.isDirectory()) return unlinkSync(place.path);
  const aside = entryPath(place.dir)(tempName());
  renameSync(place.path, aside);
  await removeQuietly(aside);
}

/** `EINVAL` when `inner` is `outer` or lies under it: a folder moved or copied into itself. */
function refuseInside(inner: string | Buffer, outer: string | Buffer): void {
  const [a, b] = [Buffer.from(inner), Buffer.from(outer)];
  const under = a.length > b.length && a[b.length] === SLASH && a.subarray(0, b.length).equals(b);
  if (under || a.equals(b)) throw failure("EINVAL", `${shown(inner)} is ${shown(outer)} or inside it`);
}

const SLASH = sep.charCodeAt(0);
