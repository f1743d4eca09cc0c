/**
 * The writes of an S3 bucket (core's `FileWrites`, docs/writes.md): objects put whole or not at
 * all, folders as `dir/` markers, removes, moves and copies on the store's side.
 *
 * @module
 */
import type { FileWrites } from "@simplehttp/core";
import { CREATE, writeAnswer } from "./answers.js";
import { writeError } from "./errors.js";
import { encodeKey } from "./keys.js";
import { deleteTree, relocate } from "./relocate.js";
import { headObject, isFolder, placeRefusal, type WriteTarget, writableKey } from "./target.js";
import { deleteObject } from "./tree.js";
import { putObject } from "./upload.js";

/**
 * The writes of the bucket `target` names.
 *
 * - `mkdir` puts a zero-byte marker `dir/` (what the S3 console's "Create folder" puts), with
 *   `If-None-Match: *`: `EEXIST` when a file or a folder has the name, `ENOENT` when its parent is
 *   no folder. A folder exists when it is the served root or a key lies below it (see
 *   `placeRefusal`); the marker keeps an empty one there.
 * - `remove` deletes the object, and every key below the name (a folder): a folder is not removed
 *   in one step, and one that fails part-way keeps what was not deleted yet.
 *
 * @example
 * ```ts
 * const writes = s3Writes({ send, bucket: "site", keyOf: (path) => path, limits: S3_LIMITS });
 * ```
 */
export function s3Writes(target: WriteTarget): FileWrites {
  return {
    put: (path, body, options) => putObject(target, path, body, options),

    async mkdir(path) {
      if (path === "") throw writeError("EEXIST", "the root is there");
      const key = writableKey(target, path, true);
      const [file, folder, refusal] = await Promise.all([
        headObject(target, key),
        isFolder(target, path),
        placeRefusal(target, path, false),
      ]);
      if (file !== null || folder) throw writeError("EEXIST", `something is at ${key}`);
      if (refusal !== null) throw writeError(refusal, `no folder for ${key}`);
      const what = `PUT ${key}/`;
      const headers = CREATE.headers;
      const body = new Uint8Array(0);
      const response = await target.send({ method: "PUT", path: `${encodeKey(key)}/`, headers, body, what });
      await writeAnswer(response, what, CREATE);
    },

    async remove(path) {
      if (path === "") throw writeError("EPERM", "the root itself is never removed");
      const key = writableKey(target, path);
      const [file, folder] = await Promise.all([headObject(target, key), isFolder(target, path)]);
      if (file === null && !folder) throw writeError("ENOENT", `nothing at ${key}`);
      if (folder) await deleteTree(target, `${key}/`);
      if (file !== null) await deleteObject(target, key);
    },

    move: (from, to, overwrite) => relocate(target, from, to, overwrite, true),
    copy: (from, to, overwrite) => relocate(target, from, to, overwrite, false),
  };
}
