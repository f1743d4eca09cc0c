/// <reference types="node" />
/**
 * Resumable uploads on Deno: the incomplete files that core's `partialWrites` builds on, made as
 * @simplehttp/disk's partial.ts makes them (its comment says why each step is there): a temporary
 * file of put's kind in the target's real folder, each piece written at its offset and flushed
 * before it is answered, reopened for each piece only while it is the same file, and committed by
 * put's commit (write.ts). Through node:fs, as temp.ts creates it.
 *
 * @module
 */
import { closeSync, constants, fstatSync, ftruncate, lstatSync, openSync, write } from "node:fs";
import { promisify } from "node:util";
import type { Chunks, PartialFiles } from "@simplehttp/core";
import { fsyncAsync, syncFolder } from "./bytes.ts";
import type { Containment } from "./containment.ts";
import { errorWithCode, failure } from "./errors.ts";
import type { PlaceOf } from "./places.ts";
import { createVerified, tempName, unlinkQuietly } from "./temp.ts";
import { commit } from "./write.ts";

const writeAsync = promisify(write);
const ftruncateAsync = promisify(ftruncate);
// Write-only, never through a link, never waiting for a FIFO's reader (ENXIO instead).
const REOPEN_FLAGS = constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** An upload's incomplete file: its real folder, its temporary path, and which file it is. */
export interface DenoPartial {
  dir: string;
  temp: string;
  dev: number;
  ino: number;
}

/**
 * The incomplete files of uploads under `placeOf`'s root.
 *
 * @example const partial = partialWrites(denoPartialFiles(places(paths, inside), inside));
 */
export function denoPartialFiles(placeOf: PlaceOf, inside: Containment | null): PartialFiles<DenoPartial> {
  return {
    async create(path, parents) {
      const place = placeOf(path, parents);
      const temp = `${place.dir}/${tempName()}`;
      const fd = createVerified(temp, inside);
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
      if (place.dir !== file.dir) throw failure("ENOENT", `${file.dir} is not there any more`);
      const result = commit(reopen(file), file.temp, place, { mode });
      await syncFolder(place.dir);
      return result;
    },

    async discard(file) {
      // Only the upload's own file: one put in its place is not this server's to remove.
      if (isSameFile(file)) unlinkQuietly(file.temp);
    },
  };
}

/** Opens `file`'s temporary file for writing, when it is still the one the upload made (else `ENOENT`). */
function reopen(file: DenoPartial): number {
  let fd: number;
  try {
    fd = openSync(file.temp, REOPEN_FLAGS);
  } catch (error) {
    throw errorWithCode(error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.dev !== file.dev || stats.ino !== file.ino) {
      throw failure("ENOENT", `${file.temp} is not the upload's file any more`);
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Whether `file`'s temporary path still names the file the upload made. */
function isSameFile(file: DenoPartial): boolean {
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
