/**
 * The writes of an R2 bucket (core's `FileWrites`, docs/writes.md), through the Workers binding:
 * objects put whole or not at all, folders as `dir/` markers, removes, moves and copies.
 *
 * @module
 */
import type { FileWrites } from "@simplehttp/core";
import { writeError } from "./errors.js";
import { deleteTree, headOf, isFolder, placeRefusal, type R2Target, writableKey } from "./place.js";
import { relocate } from "./relocate.js";
import { putObject } from "./upload.js";

/**
 * The writes of the bucket `target` names.
 *
 * - `mkdir` puts a zero-byte marker `dir/` (what the dashboard's "Create folder" puts), with
 *   `onlyIf: { etagDoesNotMatch: "*" }`: `EEXIST` when a file or a folder has the name, `ENOENT`
 *   when its parent is no folder (see place.ts); the marker keeps an empty folder there.
 * - `remove` deletes the object, and every key below the name (a folder), 1,000 a call: a
 *   folder is not removed in one step, and one that fails part-way keeps what was not deleted yet.
 *
 * @example
 * ```ts
 * const writes = r2Writes({ bucket: env.BUCKET, prefix: "", limits: R2_LIMITS });
 * ```
 */
export function r2Writes(target: R2Target): FileWrites {
  return {
    put: (path, body, options) => putObject(target, path, body, options),

    async mkdir(path) {
      if (path === "") throw writeError("EEXIST", "the root is there");
      const key = writableKey(target, path, true);
      const [file, folder, refusal] = await Promise.all([
        headOf(target, path),
        isFolder(target, path),
        placeRefusal(target, path, false),
      ]);
      if (file !== null || folder) throw writeError("EEXIST", `something is at ${key}`);
      if (refusal !== null) throw writeError(refusal, `no folder for ${key}`);
      const made = await target.bucket.put(`${key}/`, new Uint8Array(0), { onlyIf: { etagDoesNotMatch: "*" } });
      if (made === null) throw writeError("EEXIST", `something is at ${key}/`);
    },

    async remove(path) {
      if (path === "") throw writeError("EPERM", "the root itself is never removed");
      const key = writableKey(target, path);
      const [file, folder] = await Promise.all([headOf(target, path), isFolder(target, path)]);
      if (file === null && !folder) throw writeError("ENOENT", `nothing at ${key}`);
      if (folder) await deleteTree(target, `${key}/`);
      if (file !== null) await target.bucket.delete(key);
    },

    move: (from, to, overwrite) => relocate(target, from, to, overwrite, true),
    copy: (from, to, overwrite) => relocate(target, from, to, overwrite, false),
  };
}
