/**
 * Resumable uploads on the disk: the incomplete files that core's `partialWrites` builds on. An
 * upload's file is a temporary file of put's kind (temp.ts: `O_CREAT | O_EXCL | O_NOFOLLOW`, proven
 * inside the root, never listed, removed by the clean-up once its process is gone) in its target's
 * real folder; each piece is written at its offset and flushed (`fsync`) before the offset is
 * answered; the complete file takes its name by put's commit (write.ts): create links it
 * (`EEXIST` atomically), replace renames it after put's checks.
 *
 * No descriptor is held between requests (an upload may wait a day for its next piece): each
 * piece opens the file again, without following a link and without blocking on a FIFO, and writes
 * only when it is still the same file (device and inode) that the upload made.
 *
 * @module
 */
import { closeSync, constants, fstatSync, ftruncate, lstatSync, openSync, write } from "node:fs";
import { promisify } from "node:util";
import type { Chunks, PartialFiles } from "@simplehttp/core";
import { fsyncAsync, syncFolder } from "./bytes.js";
import type { Containment } from "./containment.js";
import { failure, shown } from "./errors.js";
import { entryPath } from "./names.js";
import type { PlaceOf } from "./places.js";
import { createVerified, tempName, unlinkQuietly } from "./temp.js";
import { commit } from "./write.js";

const writeAsync = promisify(write);
const ftruncateAsync = promisify(ftruncate);
// Write-only, never through a link, never waiting for a FIFO's reader (ENXIO instead).
const REOPEN_FLAGS = constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** An upload's incomplete file: its real folder, its temporary path, and which file it is. */
export interface DiskPartial {
  dir: string | Buffer;
  temp: string | Buffer;
  dev: number;
  ino: number;
}

/**
 * The incomplete files of uploads under `placeOf`'s root.
 *
 * @param placeOf where each path is written (places.ts)
 * @param inRoot the root's containment, or null when every symlink is followed
 * @param viaProc whether a new file is proven inside through /proc/self/fd first
 * @example
 * ```ts
 * const partial = partialWrites(diskPartialFiles(places(paths, inRoot), inRoot, true));
 * ```
 */
export function diskPartialFiles(placeOf: PlaceOf, inRoot: Containment | null, viaProc: boolean) {
  const files: PartialFiles<DiskPartial> = {
    async create(path, parents) {
      const place = placeOf(path, parents);
      const temp = entryPath(place.dir)(tempName());
      const fd = createVerified(temp, inRoot, viaProc);
      try {
        const { dev, ino } = fstatSync(fd);
        return { dir: place.dir, temp, dev, ino };
      } finally {
        closeSync(fd);
      }
    },

    async write(file, offset, next) {
      const fd = reopen(file);
      try {
        const written = await writeAt(fd, offset, next);
        // A piece cut off midway: what lies past its whole chunks is not counted, so not kept.
        if (written.failure !== undefined) await ftruncateAsync(fd, offset + written.written);
        await fsyncAsync(fd);
        return written;
      } finally {
        closeSync(fd);
      }
    },

    async commit(file, path, mode) {
      const place = placeOf(path, false);
      // The folder moved, or was swapped, since the upload began: its file is no longer beside the name.
      if (!samePath(place.dir, file.dir)) throw failure("ENOENT", `${shown(file.dir)} is not there any more`);
      const result = commit(reopen(file), file.temp, place, { mode });
      await syncFolder(place.dir);
      return result;
    },

    async discard(file) {
      // Only the upload's own file: one put in its place is not this server's to remove.
      if (isSameFile(file)) unlinkQuietly(file.temp);
    },
  };
  return files;
}

/** Opens `file`'s temporary file for writing, when it is still the one the upload made (else `ENOENT`). */
function reopen(file: DiskPartial): number {
  const fd = openSync(file.temp, REOPEN_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.dev !== file.dev || stats.ino !== file.ino) {
      throw failure("ENOENT", `${shown(file.temp)} is not the upload's file any more`);
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Whether `file`'s temporary path still names the file the upload made. */
function isSameFile(file: DiskPartial): boolean {
  try {
    const stats = lstatSync(file.temp);
    return stats.isFile() && stats.dev === file.dev && stats.ino === file.ino;
  } catch {
    return false;
  }
}

/** Writes each chunk of `next` at `offset` on, whole; a failure is answered beside how much was written. */
async function writeAt(fd: number, offset: number, next: Chunks): Promise<{ written: number; failure?: unknown }> {
  let written = 0;
  try {
    for (let chunk = await next(); chunk !== null; chunk = await next()) {
      // write(2) may write less than asked (a signal, a quota): the rest follows.
      for (let done = 0; done < chunk.byteLength; ) {
        const at = offset + written + done;
        done += (await writeAsync(fd, chunk, done, chunk.byteLength - done, at)).bytesWritten;
      }
      written += chunk.byteLength;
    }
  } catch (error) {
    return { written, failure: error };
  }
  return { written };
}

/** Whether two real paths are the same, as strings or as bytes. */
function samePath(a: string | Buffer, b: string | Buffer): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}
