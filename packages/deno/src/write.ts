/// <reference types="node" />
/**
 * `put` on Deno: a body stored whole or not at all, by the steps of @simplehttp/disk's write.ts
 * (its comment says why each): a temporary file beside the target, proven inside the root,
 * written, flushed, then linked (`"create"`: `EEXIST` atomically) or renamed (`"replace"`, after
 * its checks) onto the target's name in one synchronous step; the folder flushed after.
 *
 * @module
 */
import { closeSync, fstatSync, futimesSync, type Stats } from "node:fs";
import type { FileStat, FileWrites, PutOptions, WriteResult } from "@simplehttp/core";
import { cancelQuietly, chunksOf, fsyncAsync, futimesAsync, pour, syncFolder } from "./bytes.ts";
import type { Containment } from "./containment.ts";
import { codeOf, errorWithCode, failure } from "./errors.ts";
import type { Place, PlaceOf } from "./places.ts";
import { createVerified, lstatOrNull, tempName, unlinkQuietly } from "./temp.ts";

/** What link(2) answers where the filesystem has no hard links. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/** What a commit needs of a put\'s options (a resumable upload\'s commit gives only the mode). */
export type CommitOptions = Pick<PutOptions, "mode" | "expected" | "mtimeMs">;

/**
 * The `put` of the disk under `placeOf`'s root.
 *
 * @example
 * ```ts
 * const put = putter(places(paths, inside), inside);
 * await put("docs/a.txt", body, { mode: "create", maxBytes: 1 << 30, parents: true });
 * ```
 */
export function putter(placeOf: PlaceOf, inside: Containment | null): FileWrites["put"] {
  return async (path, body, options) => {
    const reader = body.getReader();
    let place: Place;
    let temp: string;
    let fd: number;
    try {
      place = placeOf(path, options.parents);
      temp = `${place.dir}/${tempName()}`;
      fd = createVerified(temp, inside);
    } catch (error) {
      await cancelQuietly(reader, error);
      throw errorWithCode(error);
    }
    let open = true;
    try {
      await pour(fd, chunksOf(reader), options);
      if (options.mtimeMs !== undefined) await futimesAsync(fd, Date.now() / 1000, options.mtimeMs / 1000);
      await fsyncAsync(fd);
      open = false;
      const result = commit(fd, temp, place, options);
      await syncFolder(place.dir);
      return result;
    } catch (error) {
      if (open) closeSync(fd);
      unlinkQuietly(temp);
      await cancelQuietly(reader, error);
      throw errorWithCode(error);
    }
  };
}

/** The temporary file takes its name, and `fd` is closed, in one synchronous step. */
export function commit(fd: number, temp: string, place: Place, options: CommitOptions): WriteResult {
  let stats: Stats;
  let present: Deno.FileInfo | null;
  try {
    present = lstatOrNull(place.path);
    if (present !== null) refuseReplacing(present, place, options);
    // The version the core checked is gone: a replace of it must not become a create.
    else if (options.expected !== undefined) throw failure("ESTALE", `${place.path} is gone since it was checked`);
    stats = fstatSync(fd);
    // The new version's validators must differ from the old one's (see the disk's write.ts).
    const old = present?.mtime?.getTime();
    if (old !== undefined && options.mtimeMs === undefined && Math.floor(stats.mtimeMs) <= old) {
      futimesSync(fd, stats.atimeMs / 1000, (old + 1.5) / 1000);
      stats = fstatSync(fd);
    }
  } finally {
    closeSync(fd);
  }
  if (options.mode === "create") linkNew(temp, place.path);
  else Deno.renameSync(temp, place.path);
  const stat: FileStat = { kind: "file", size: stats.size, mtimeMs: stats.mtimeMs };
  return { created: present === null, stat };
}

/** Refuses to put a file over `present`: see the disk's write.ts. */
function refuseReplacing(present: Deno.FileInfo, place: Place, options: CommitOptions): void {
  if (options.mode === "create") throw failure("EEXIST", `${place.path} is there`);
  if (present.isDirectory) throw failure("EISDIR", `${place.path} is a folder`);
  if (!present.isFile) throw failure("EEXIST", `${place.path} is a link or a special file: never replaced`);
  const { expected } = options;
  if (expected !== undefined && !sameVersion(present, expected)) {
    throw failure("ESTALE", `${place.path} changed since it was checked`);
  }
}

/** Whether `info` is the version `expected` describes, as the core's validators tell versions apart. */
function sameVersion(info: Deno.FileInfo, expected: FileStat): boolean {
  if (info.size !== expected.size) return false;
  const time = info.mtime?.getTime();
  return expected.mtimeMs === undefined || time === undefined || time === Math.floor(expected.mtimeMs);
}

/**
 * Gives the file `from` the name `to`, which must be free: `EEXIST` otherwise, atomically through
 * link(2); where the filesystem has no hard links, checked and renamed in one synchronous step.
 *
 * @param link link(2); the tests give one that fails as such a filesystem's does
 * @example linkNew("/srv/www/.simplehttp-upload-4242-9f86d081884c", "/srv/www/a.txt");
 */
export function linkNew(from: string, to: string, link: typeof Deno.linkSync = Deno.linkSync): void {
  try {
    link(from, to);
  } catch (error) {
    if (!NO_HARD_LINKS.has(codeOf(error) ?? "")) throw errorWithCode(error);
    if (lstatOrNull(to) !== null) throw failure("EEXIST", `${to} is there`);
    Deno.renameSync(from, to);
    return;
  }
  unlinkQuietly(from);
}
