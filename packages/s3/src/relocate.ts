/**
 * `move` and `copy`: a bucket renames nothing, so both copy on the store's side (CopyObject, or
 * UploadPartCopy past 5 GiB), and a move then deletes what it copied. A folder goes key by key.
 *
 * @module
 */
import { type Condition, CREATE, writeAnswer } from "./answers.js";
import { writeError } from "./errors.js";
import { encodeKey } from "./keys.js";
import { abortUpload, completeUpload, copyPart, copySource, createUpload } from "./multipart.js";
import { headObject, isFolder, placeRefusal, type WriteTarget, writableKey } from "./target.js";
import { deleteKeys, deleteObject, keysUnder } from "./tree.js";

// Copies of a folder's keys in flight at once: each is a call the store does all the work of.
const COPIES_AT_ONCE = 8;

/**
 * Copies `from` to `to` (a folder with every key below it), then for a move deletes the source.
 * What the contract asks (core's fs/writes.ts): `ENOENT` without a source or without the
 * destination's folder, `EEXIST` onto something unless `overwrite`, `EINVAL` into itself (or
 * over a folder it lies in).
 *
 * A file is copied in one call that makes the destination whole; a create of it is sent with
 * `If-None-Match: *`, which AWS checks on CopyObject and moto 5.2 ignores (the check made just
 * before is then all there is). A folder's copy is not one step: it is visible key by key while
 * it is made, and a move deletes the source only once every key is copied, so a failure leaves
 * the source whole (and removes what was copied of it).
 */
export async function relocate(
  target: WriteTarget,
  from: string,
  to: string,
  overwrite: boolean,
  move: boolean,
): Promise<{ created: boolean }> {
  const [fromKey, toKey] = [writableKey(target, from), writableKey(target, to)];
  if (`${to}/`.startsWith(`${from}/`)) throw writeError("EINVAL", `${to} is inside ${from}`);
  const [source, existing, refusal] = await Promise.all([
    describe(target, fromKey, from),
    describe(target, toKey, to),
    placeRefusal(target, to, false),
  ]);
  if (source.size === null && !source.folder) throw writeError("ENOENT", `nothing at ${fromKey}`);
  if (refusal !== null) throw writeError(refusal, `no folder for ${toKey}`);
  const exists = existing.size !== null || existing.folder;
  if (exists && !overwrite) throw writeError("EEXIST", `something is at ${toKey}`);
  // Replacing a folder the source lies in would delete the source before it is copied.
  if (exists && `${from}/`.startsWith(`${to}/`)) throw writeError("EINVAL", `${from} is inside ${to}`);
  if (source.size !== null) {
    // A file over a file is replaced in the copy's one step; a folder in the way goes first.
    if (existing.folder) await deleteTree(target, `${toKey}/`);
    await copyObject(target, fromKey, toKey, source.size, exists ? null : CREATE);
    if (move) await deleteObject(target, fromKey);
  } else {
    if (existing.size !== null) await deleteObject(target, toKey);
    if (existing.folder) await deleteTree(target, `${toKey}/`);
    const copied = await copyTree(target, `${fromKey}/`, `${toKey}/`);
    if (move) await deleteKeys(target, copied);
  }
  return { created: !exists };
}

/** What is at a path: a file's size (null for none), and whether keys lie below it (a folder). */
async function describe(
  target: WriteTarget,
  key: string,
  path: string,
): Promise<{ size: number | null; folder: boolean }> {
  const [head, folder] = await Promise.all([headObject(target, key), isFolder(target, path)]);
  return { size: head?.size ?? null, folder };
}

/** Deletes every key under `prefix`, a page at a time. */
export async function deleteTree(target: WriteTarget, prefix: string): Promise<void> {
  for await (const rows of keysUnder(target, prefix))
    await deleteKeys(
      target,
      rows.map((row) => row.key),
    );
}

/**
 * Copies every key under `from` to the same name under `to`, a few at once; answers the keys
 * copied from. On a failure, what was copied is deleted again (as far as the store lets it).
 */
async function copyTree(target: WriteTarget, from: string, to: string): Promise<string[]> {
  const copied: string[] = [];
  try {
    for await (const rows of keysUnder(target, from)) {
      for (let at = 0; at < rows.length; at += COPIES_AT_ONCE) {
        const batch = rows.slice(at, at + COPIES_AT_ONCE);
        await Promise.all(
          batch.map(async ({ key, size }) => {
            await copyObject(target, key, to + key.slice(from.length), size, CREATE);
            copied.push(key);
          }),
        );
      }
    }
  } catch (error) {
    await deleteKeys(
      target,
      copied.map((key) => to + key.slice(from.length)),
    ).catch(() => {});
    throw error;
  }
  return copied;
}

/**
 * Copies the object `from` (of `size` bytes) to `to` on the store's side, with its metadata:
 * CopyObject up to 5 GiB (its limit), else a multipart upload of UploadPartCopy ranges.
 */
async function copyObject(
  target: WriteTarget,
  from: string,
  to: string,
  size: number,
  condition: Condition | null,
): Promise<void> {
  if (size > target.limits.singleCopy) return copyInParts(target, from, to, size, condition);
  const what = `CopyObject ${from} to ${to}`;
  const headers = { "x-amz-copy-source": copySource(target, from), ...condition?.headers };
  const response = await target.send({
    method: "PUT",
    path: encodeKey(to),
    headers,
    idempotent: condition === null,
    what,
  });
  await writeAnswer(response, what, condition);
}

/** The headers an object was stored with that a copy keeps: its type, coding, caching and `x-amz-meta-*`. */
const KEPT = /^(content-type|content-encoding|content-language|content-disposition|cache-control|x-amz-meta-.*)$/;

async function copyInParts(
  target: WriteTarget,
  from: string,
  to: string,
  size: number,
  condition: Condition | null,
): Promise<void> {
  const head = await headObject(target, from);
  if (head === null) throw writeError("ENOENT", `${from} is gone`);
  const headers: Record<string, string> = {};
  head.headers.forEach((value, name) => {
    if (KEPT.test(name)) headers[name] = value;
  });
  const upload = await createUpload(target, to, headers);
  try {
    const etags: string[] = [];
    const step = target.limits.copyPartSize;
    for (let start = 0; start < size; start += step) {
      const range = { start, end: Math.min(start + step, size) - 1 };
      etags.push(await copyPart(target, upload, etags.length + 1, from, range));
    }
    await completeUpload(target, upload, etags, condition);
  } catch (error) {
    await abortUpload(target, upload);
    throw error;
  }
}
