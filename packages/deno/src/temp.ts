/// <reference types="node" />
/**
 * The temporary files and folders of writes, as @simplehttp/disk's temp.ts makes them (its comment
 * says why), with Deno's calls. The file is created through node:fs: the proof that it lies inside
 * the root asks /proc/self/fd for the descriptor's number, which a Deno.FsFile does not give.
 *
 * @module
 */
import { closeSync, constants, openSync } from "node:fs";
import { notServable, UPLOAD_TEMP_PREFIX } from "@simplehttp/core";
import type { Containment } from "./containment.ts";
import { errorWithCode } from "./errors.ts";
import { openedInside } from "./open.ts";

// O_EXCL: a new file or none, never one that is there (POSIX fails O_CREAT | O_EXCL on any link,
// even dangling). O_NOFOLLOW, which Deno.open cannot ask for, says the same once more.
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * A new temporary name: this process's pid, and 48 random bits.
 *
 * @example tempName(); // ".simplehttp-upload-4242-9f86d081884c"
 */
export function tempName(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => byte.toString(16).padStart(2, "0"));
  return `${UPLOAD_TEMP_PREFIX}${Deno.pid}-${random.join("")}`;
}

/**
 * The pid a temporary name was made by, or null when `name` is not one.
 *
 * @example tempOwner(".simplehttp-upload-4242-9f86d081884c"); // 4242
 */
export function tempOwner(name: string): number | null {
  if (!name.startsWith(UPLOAD_TEMP_PREFIX)) return null;
  const pid = /^([1-9]\d{0,9})-/.exec(name.slice(UPLOAD_TEMP_PREFIX.length))?.[1];
  return pid === undefined ? null : Number(pid);
}

/**
 * Creates the file `path` (a temporary name in a folder found inside the root), write-only, mode
 * 0o666 less the umask, and proves it inside the root as a read proves what it opened; a file
 * found outside (a folder on the way swapped for a link meanwhile) is removed again.
 *
 * @example const fd = createVerified(`/srv/www/docs/${tempName()}`, containment("/srv/www"));
 */
export function createVerified(path: string, inside: Containment | null): number {
  const fd = openSync(path, CREATE_FLAGS, 0o666);
  if (inside === null) return fd;
  try {
    if (!openedInside(path, fd, inside)) throw notServable(path, "outside the root");
    return fd;
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(path);
    throw errorWithCode(error);
  }
}

/**
 * Creates the folder `path` and proves it inside the root by its real path; one found outside is
 * removed again.
 *
 * @example makeFolderVerified(`/srv/www/docs/${tempName()}`, containment("/srv/www"));
 */
export function makeFolderVerified(path: string, inside: Containment | null): void {
  try {
    Deno.mkdirSync(path);
  } catch (error) {
    throw errorWithCode(error);
  }
  if (inside === null || inside.resolve(path) !== null) return;
  unlinkQuietly(path); // an empty folder: nothing was written in it
  throw notServable(path, "outside the root");
}

/** Removes the file or empty folder `path`, when it is there. */
export function unlinkQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // already gone
  }
}

/**
 * Removes `path` and, for a folder, everything below it, off the main thread; symlinks are
 * removed, never followed. Errors are left: what remains is a temporary name, removed at the next start.
 */
export async function removeQuietly(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch(() => {});
}

/**
 * The lstat of `path`, or null when nothing is there.
 *
 * @example const present = lstatOrNull("/srv/www/a.txt");
 */
export function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw errorWithCode(error);
  }
}
