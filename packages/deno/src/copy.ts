/// <reference types="node" />
/**
 * Copies, for `copy` and for a `move` across filesystems, as @simplehttp/disk's copy.ts makes them
 * (its comment says what is copied and why): the whole entry built under a temporary name beside
 * the target, then renamed into place (tree.ts).
 *
 * Deno reads a name that is not UTF-8 with U+FFFD for its bytes, and that string names another
 * file or none: a folder holding such a name is not copied (`EILSEQ`), rather than copied without
 * it (a move would then lose it).
 *
 * @module
 */
import { closeSync } from "node:fs";
import { notServable, UPLOAD_TEMP_PREFIX } from "@simplehttp/core";
import { chunksOfFile, fsyncAsync, futimesAsync, pour } from "./bytes.ts";
import type { Containment } from "./containment.ts";
import { errorWithCode, failure } from "./errors.ts";
import { openFile } from "./open.ts";
import { createVerified, lstatOrNull, makeFolderVerified, removeQuietly, tempName } from "./temp.ts";

/**
 * Copies the entry at `from` (as lstat sees it: a link is copied as a link) to a new temporary
 * name in the folder `dir`, and answers that name; on failure nothing is left.
 *
 * @example const temp = await copyToTemp("/srv/www/docs", "/srv/www", containment("/srv/www"));
 */
export async function copyToTemp(from: string, dir: string, inside: Containment | null): Promise<string> {
  const temp = `${dir}/${tempName()}`;
  try {
    await copyEntry(from, temp, inside, true);
  } catch (error) {
    await removeQuietly(temp);
    throw errorWithCode(error);
  }
  return temp;
}

async function copyEntry(from: string, to: string, inside: Containment | null, top: boolean): Promise<void> {
  const info = lstatOrNull(from);
  if (info === null) throw failure("EILSEQ", `a name Deno cannot spell: ${from}`);
  if (info.isSymlink) return Deno.symlinkSync(Deno.readLinkSync(from), to);
  if (info.isFile) return copyFile(from, to, inside);
  if (!info.isDirectory) {
    if (top) throw notServable(from, "not a regular file");
    return;
  }
  makeFolderVerified(to, inside);
  for (const { name } of Deno.readDirSync(from)) {
    if (name.startsWith(UPLOAD_TEMP_PREFIX)) continue; // another write's, in progress
    await copyEntry(`${from}/${name}`, `${to}/${name}`, inside, false);
  }
}

/** Copies the regular file `from` to the new file `to`, flushed, with `from`'s modification time. */
async function copyFile(from: string, to: string, inside: Containment | null): Promise<void> {
  const source = openFile(from, inside);
  try {
    const fd = createVerified(to, inside);
    try {
      await pour(fd, chunksOfFile(source.fd), { maxBytes: Number.POSITIVE_INFINITY });
      const { mtimeMs } = source.stats;
      if (mtimeMs !== undefined) await futimesAsync(fd, Date.now() / 1000, mtimeMs / 1000);
      await fsyncAsync(fd);
    } finally {
      closeSync(fd);
    }
  } finally {
    closeSync(source.fd);
  }
}
