/**
 * Copies, for `copy` and for a `move` across filesystems (a disk mounted inside the root): the
 * whole entry is built under a temporary name in the target's folder, then takes the target's name
 * in one rename (tree.ts), so it appears there complete or not at all. A folder is copied entry by
 * entry while nobody sees it (the temporary name is never listed); a failure removes what was
 * built, a crash leaves it to the clean-up at the next start.
 *
 * What is copied: files (their bytes, through the verified open of reads, and their modification
 * time), folders, and symlinks as symlinks (their target's text, as `cp -R` does: reads check where
 * a link leads whenever it is followed, so a copied link opens nothing a read would refuse). FIFOs,
 * sockets and devices inside a folder are left out, as a listing leaves them unserved.
 *
 * @module
 */
import { closeSync, lstatSync, readdirSync, readlinkSync, symlinkSync } from "node:fs";
import { sep } from "node:path";
import { notServable } from "@simplehttp/core";
import { chunksOfFile, fsyncAsync, futimesAsync, pour } from "./bytes.js";
import type { Containment } from "./containment.js";
import { entryPath } from "./names.js";
import { openVerified } from "./open.js";
import { createVerified, isTempName, makeFolderVerified, removeQuietly, tempName } from "./temp.js";

/** The root's rule for what a copy opens and makes. */
export interface CopyRule {
  /** The root's containment, or null when every symlink is followed. */
  inRoot: Containment | null;
  /** Whether opened and created files are proven inside through /proc/self/fd first. */
  viaProc: boolean;
}

const SEPARATOR = Buffer.from(sep);

/**
 * Copies the entry at `from` (as lstat sees it: a link is copied as a link) to a new temporary
 * name in the folder `dir`, and answers that name; on failure nothing is left.
 *
 * @param from a path under the root with no link on the way (a real path, or one in a real folder)
 * @param dir the real folder of the target
 * @param rule what may be opened and made
 * @example
 * ```ts
 * const temp = await copyToTemp("/srv/www/docs", "/srv/www", { inRoot, viaProc: true });
 * ```
 */
export async function copyToTemp(
  from: string | Buffer,
  dir: string | Buffer,
  rule: CopyRule,
): Promise<string | Buffer> {
  const temp = entryPath(dir)(tempName());
  try {
    await copyEntry(from, temp, rule, true);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
  return temp;
}

async function copyEntry(from: string | Buffer, to: string | Buffer, rule: CopyRule, top: boolean): Promise<void> {
  const stats = lstatSync(from);
  if (stats.isSymbolicLink()) return symlinkSync(readlinkSync(from, { encoding: "buffer" }), to);
  if (stats.isFile()) return copyFile(from, to, rule);
  if (!stats.isDirectory()) {
    if (top) throw notServable(from, "not a regular file");
    return;
  }
  makeFolderVerified(to, rule.inRoot);
  // Names as bytes: a name that is not UTF-8 is copied as itself.
  for (const name of readdirSync(from, { encoding: "buffer" })) {
    if (isTempName(name)) continue; // another write's, in progress
    await copyEntry(childOf(from, name), childOf(to, name), rule, false);
  }
}

/** Copies the regular file `from` to the new file `to`, flushed, with `from`'s modification time. */
async function copyFile(from: string | Buffer, to: string | Buffer, { inRoot, viaProc }: CopyRule): Promise<void> {
  const source = openVerified(from, inRoot, viaProc);
  try {
    const fd = createVerified(to, inRoot, viaProc);
    try {
      await pour(fd, chunksOfFile(source.fd), { maxBytes: Number.POSITIVE_INFINITY });
      await futimesAsync(fd, source.stats.atimeMs / 1000, source.stats.mtimeMs / 1000);
      await fsyncAsync(fd);
    } finally {
      closeSync(fd);
    }
  } finally {
    closeSync(source.fd);
  }
}

function childOf(dir: string | Buffer, name: Buffer): Buffer {
  return Buffer.concat([typeof dir === "string" ? Buffer.from(dir) : dir, SEPARATOR, name]);
}
