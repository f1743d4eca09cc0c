/**
 * `put`: a body stored whole or not at all. The bytes go to a temporary file created beside the
 * target (temp.ts) and proven inside the root, are flushed (`fsync`), then take the target's name:
 *
 * - `"create"` links the file to its name: link(2) fails with `EEXIST` atomically when anything is
 *   there, whatever process put it there. On a filesystem without hard links, the name is checked
 *   and then renamed onto, in one synchronous step.
 * - `"replace"` checks what is there (a folder is `EISDIR`; a symlink, or anything but a file, is
 *   never replaced nor written through: `EEXIST`; another version than the one expected is
 *   `ESTALE`) and renames onto it, in one synchronous step.
 *
 * One synchronous step is the per-path lock: JavaScript runs one thing at a time, so no other write
 * of this process comes between the check and the rename. (Another process writing the same name
 * could: only `"create"`'s link is atomic across processes.) Then the folder is flushed. Any
 * failure before the rename (the client gone, a cap, a full disk, a check) removes the temporary
 * file and cancels the body.
 *
 * @module
 */
import { closeSync, fstatSync, futimesSync, linkSync, lstatSync, renameSync, type Stats, unlinkSync } from "node:fs";
import type { FileStat, FileWrites, PutOptions, WriteResult } from "@simplehttp/core";
import { cancelQuietly, chunksOf, fsyncAsync, futimesAsync, pour, syncFolder } from "./bytes.js";
import type { Containment } from "./containment.js";
import { codeOf, failure, shown } from "./errors.js";
import { entryPath } from "./names.js";
import type { Place, PlaceOf } from "./places.js";
import { toFileStat } from "./stats.js";
import { createVerified, tempName, unlinkQuietly } from "./temp.js";

/** What link(2) answers where the filesystem has no hard links (FAT, some network and FUSE mounts). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/** What a commit needs of a put\'s options (a resumable upload\'s commit gives only the mode). */
export type CommitOptions = Pick<PutOptions, "mode" | "expected" | "mtimeMs">;

/**
 * The `put` of the disk under `placeOf`'s root.
 *
 * @param placeOf where each path is written (places.ts)
 * @param inRoot the root's containment, or null when every symlink is followed
 * @param viaProc whether a new file is proven inside through /proc/self/fd first
 * @example
 * ```ts
 * const put = putter(places(paths, inRoot), inRoot, true);
 * await put("docs/a.txt", body, { mode: "create", maxBytes: 1 << 30, parents: true });
 * ```
 */
export function putter(placeOf: PlaceOf, inRoot: Containment | null, viaProc: boolean): FileWrites["put"] {
  return async (path, body, options) => {
    const reader = body.getReader();
    let place: Place;
    let temp: string | Buffer;
    let fd: number;
    try {
      place = placeOf(path, options.parents);
      temp = entryPath(place.dir)(tempName());
      fd = createVerified(temp, inRoot, viaProc);
    } catch (error) {
      await cancelQuietly(reader, error);
      throw error;
    }
    let open = true;
    try {
      await pour(fd, chunksOf(reader), options);
      // Set before the flush, so the time is as durable as the bytes.
      if (options.mtimeMs !== undefined) await futimesAsync(fd, fstatSync(fd).atimeMs / 1000, options.mtimeMs / 1000);
      await fsyncAsync(fd);
      open = false;
      const result = commit(fd, temp, place, options);
      await syncFolder(place.dir);
      return result;
    } catch (error) {
      if (open) closeSync(fd);
      unlinkQuietly(temp);
      await cancelQuietly(reader, error);
      throw error;
    }
  };
}

/**
 * The temporary file `temp`, written and flushed, takes its name, and `fd` is closed: all in one
 * synchronous step (see the module's comment).
 */
export function commit(fd: number, temp: string | Buffer, place: Place, options: CommitOptions): WriteResult {
  let stats: Stats;
  let present: Stats | undefined;
  try {
    present = lstatSync(place.path, { throwIfNoEntry: false });
    if (present !== undefined) refuseReplacing(present, place, options);
    // The version the core checked is gone: a replace of it must not become a create.
    else if (options.expected !== undefined)
      throw failure("ESTALE", `${shown(place.path)} is gone since it was checked`);
    stats = fstatSync(fd);
    // The new version's validators must differ from the old one's (the core's ETag is the time in
    // milliseconds and the size): a time within the same millisecond is moved past it. 1.5, not 1:
    // seconds as a float may round to a nanosecond short of the next millisecond.
    if (present !== undefined && options.mtimeMs === undefined && notAfter(stats, present)) {
      futimesSync(fd, stats.atimeMs / 1000, (Math.floor(present.mtimeMs) + 1.5) / 1000);
      stats = fstatSync(fd);
    }
  } finally {
    closeSync(fd);
  }
  if (options.mode === "create") linkNew(temp, place.path);
  else renameSync(temp, place.path);
  return { created: present === undefined, stat: toFileStat(stats) };
}

/** Refuses to put a file over `present` at `place` as `options` ask: see the module's comment. */
function refuseReplacing(present: Stats, place: Place, options: CommitOptions): void {
  const what = shown(place.path);
  if (options.mode === "create") throw failure("EEXIST", `${what} is there`);
  if (present.isDirectory()) throw failure("EISDIR", `${what} is a folder`);
  if (!present.isFile()) throw failure("EEXIST", `${what} is a link or a special file: never replaced`);
  if (options.expected !== undefined && !sameVersion(present, options.expected)) {
    throw failure("ESTALE", `${what} changed since it was checked`);
  }
}

/** Whether `stats` is the version `expected` describes, as the core's validators tell versions apart. */
function sameVersion(stats: Stats, expected: FileStat): boolean {
  if (stats.size !== expected.size) return false;
  return expected.mtimeMs === undefined || Math.floor(stats.mtimeMs) === Math.floor(expected.mtimeMs);
}

/** Whether the new file's time (in milliseconds, as the core tells versions) is not past the old one's. */
function notAfter(stats: Stats, present: Stats): boolean {
  return Math.floor(stats.mtimeMs) <= Math.floor(present.mtimeMs);
}

/**
 * Gives the file `from` the name `to`, which must be free: `EEXIST` otherwise, atomically through
 * link(2); where the filesystem has no hard links, checked and renamed in one synchronous step.
 *
 * @param link link(2); the tests give one that fails as such a filesystem's does
 * @example
 * ```ts
 * linkNew("/srv/www/.simplehttp-upload-4242-9f86d081884c", "/srv/www/a.txt");
 * ```
 */
export function linkNew(from: string | Buffer, to: string | Buffer, link: typeof linkSync = linkSync): void {
  try {
    link(from, to);
  } catch (error) {
    if (!NO_HARD_LINKS.has(codeOf(error) ?? "")) throw error;
    if (lstatSync(to, { throwIfNoEntry: false }) !== undefined) throw failure("EEXIST", `${shown(to)} is there`);
    renameSync(from, to);
    return;
  }
  try {
    unlinkSync(from);
  } catch {
    // The file has its name; a second one left behind is removed at the next start (cleanup.ts).
  }
}
