/**
 * The temporary files and folders of writes: each write builds its result under a name of its own
 * (`.simplehttp-upload-<pid>-<random>`, core's UPLOAD_TEMP_PREFIX) in the folder of its target,
 * then renames it into place, so a reader sees the old entry or the whole new one. Such names are
 * never listed (fs.ts), and the pid says whose they are, for the clean-up after a crash
 * (cleanup.ts).
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, mkdirSync, openSync, rmdirSync, unlinkSync } from "node:fs";
import { rm } from "node:fs/promises";
import { notServable, UPLOAD_TEMP_PREFIX } from "@simplehttp/core";
import type { Containment } from "./containment.js";
import { located } from "./open.js";

// O_EXCL: a new file or none, never one that is there (a symlink included, even dangling: POSIX
// fails O_CREAT | O_EXCL on any link). O_NOFOLLOW says the same once more. Windows has no O_NOFOLLOW.
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const PREFIX_BYTES = Buffer.from(UPLOAD_TEMP_PREFIX);

/**
 * A new temporary name: this process's pid, and 48 random bits so two writes never pick one name.
 *
 * @example
 * ```ts
 * tempName(); // ".simplehttp-upload-4242-9f86d081884c"
 * ```
 */
export function tempName(): string {
  return `${UPLOAD_TEMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`;
}

/**
 * Whether `name` (a core name or an entry's bytes) starts as the temporary names do.
 *
 * @example
 * ```ts
 * isTempName(".simplehttp-upload-4242-9f86d081884c"); // true
 * ```
 */
export function isTempName(name: string | Buffer): boolean {
  if (typeof name === "string") return name.startsWith(UPLOAD_TEMP_PREFIX);
  return name.length >= PREFIX_BYTES.length && name.subarray(0, PREFIX_BYTES.length).equals(PREFIX_BYTES);
}

/**
 * The pid a temporary name was made by, or null when `name` is not one.
 *
 * @example
 * ```ts
 * tempOwner(".simplehttp-upload-4242-9f86d081884c"); // 4242
 * ```
 */
export function tempOwner(name: string | Buffer): number | null {
  if (!isTempName(name)) return null;
  const rest = (typeof name === "string" ? name : name.toString("latin1")).slice(UPLOAD_TEMP_PREFIX.length);
  const pid = /^([1-9]\d{0,9})-/.exec(rest)?.[1];
  return pid === undefined ? null : Number(pid);
}

/**
 * Creates the file `path` (a temporary name in a folder found inside the root), write-only, with
 * mode 0o666 less the umask, and proves it inside the root as a read proves what it opened
 * (open.ts, step 3): were a folder on the way swapped for a link out between the check of the
 * folder and this open, the file would lie outside, and is removed again.
 *
 * @param path the new file's path
 * @param inRoot the root's containment, or null when every symlink is followed
 * @param viaProc whether the proof asks /proc/self/fd first
 * @returns the open descriptor
 * @example
 * ```ts
 * const fd = createVerified(`/srv/www/docs/${tempName()}`, containment("/srv/www"), true);
 * ```
 */
export function createVerified(path: string | Buffer, inRoot: Containment | null, viaProc: boolean): number {
  const fd = openSync(path, CREATE_FLAGS, 0o666);
  if (inRoot === null) return fd;
  try {
    if (located(path, fd, inRoot, viaProc) === null) throw notServable(path, "outside the root");
    return fd;
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(path);
    throw error;
  }
}

/**
 * Creates the folder `path` (its mode 0o777 less the umask) and proves it inside the root by its
 * real path; one found outside is removed again.
 *
 * @example
 * ```ts
 * makeFolderVerified(`/srv/www/docs/${tempName()}`, containment("/srv/www"));
 * ```
 */
export function makeFolderVerified(path: string | Buffer, inRoot: Containment | null): void {
  mkdirSync(path);
  if (inRoot === null || inRoot.realInside(path) !== null) return;
  try {
    rmdirSync(path);
  } catch {
    // gone already, or no longer ours to remove: nothing was written in it
  }
  throw notServable(path, "outside the root");
}

/** Unlinks `path`, when it is there: the clean-up of a write that failed. */
export function unlinkQuietly(path: string | Buffer): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Removes `path` and, for a folder, everything below it, in the thread pool; symlinks are removed,
 * never followed. Errors are left: what remains is a temporary name, removed at the next start.
 */
export async function removeQuietly(path: string | Buffer): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => {});
}
