/**
 * `move` and `copy`: the binding renames and copies nothing, so an object is copied by streaming
 * its `get()` body into a `put()` (or, past R2's largest put, ranged gets into an upload's
 * parts), and a move then deletes what it copied. A folder goes key by key.
 *
 * @module
 */
import type { R2ConditionalLike, R2ObjectLike } from "./binding.js";
import { writeError } from "./errors.js";
import { deleteTree, headOf, isFolder, objectsUnder, placeRefusal, type R2Target, writableKey } from "./place.js";
import { holds } from "./upload.js";

const CREATE: R2ConditionalLike = { etagDoesNotMatch: "*" };
// Copies of a folder's keys in flight at once.
const COPIES_AT_ONCE = 8;

/**
 * Copies `from` to `to` (a folder with every key below it), then for a move deletes the source:
 * `ENOENT` without a source or without the destination's folder, `EEXIST` onto something unless
 * `overwrite`, `EINVAL` into itself (or over a folder it lies in), as core's fs/writes.ts says.
 *
 * A file is copied by one `put()` that makes the destination whole (a create with `onlyIf`, which
 * R2 checks as it stores). A folder's copy is not one step: it is visible key by key while it is
 * made, and a move deletes the source only once every key is copied, so a failure leaves the
 * source whole (and removes what was copied of it).
 */
export async function relocate(
  target: R2Target,
  from: string,
  to: string,
  overwrite: boolean,
  move: boolean,
): Promise<{ created: boolean }> {
  const [fromKey, toKey] = [writableKey(target, from), writableKey(target, to)];
  if (`${to}/`.startsWith(`${from}/`)) throw writeError("EINVAL", `${to} is inside ${from}`);
  const [source, sourceFolder, existing, existingFolder, refusal] = await Promise.all([
    headOf(target, from),
    isFolder(target, from),
    headOf(target, to),
    isFolder(target, to),
    placeRefusal(target, to, false),
  ]);
  if (source === null && !sourceFolder) throw writeError("ENOENT", `nothing at ${fromKey}`);
  if (refusal !== null) throw writeError(refusal, `no folder for ${toKey}`);
  const exists = existing !== null || existingFolder;
  if (exists && !overwrite) throw writeError("EEXIST", `something is at ${toKey}`);
  // Replacing a folder the source lies in would delete the source before it is copied.
  if (exists && `${from}/`.startsWith(`${to}/`)) throw writeError("EINVAL", `${from} is inside ${to}`);
  if (source !== null) {
    // A file over a file is replaced in the copy's one step; a folder in the way goes first.
    if (existingFolder) await deleteTree(target, `${toKey}/`);
    await copyObject(target, source, toKey, exists ? null : CREATE);
    if (move) await target.bucket.delete(fromKey);
  } else {
    if (existing !== null) await target.bucket.delete(toKey);
    if (existingFolder) await deleteTree(target, `${toKey}/`);
    const copied = await copyTree(target, `${fromKey}/`, `${toKey}/`);
    for (let at = 0; move && at < copied.length; at += 1000) await target.bucket.delete(copied.slice(at, at + 1000));
  }
  return { created: !exists };
}

/**
 * Copies every object under `from` to the same name under `to`, a few at once; answers the keys
 * copied from. On a failure, what was copied is deleted again (as far as R2 lets it).
 */
async function copyTree(target: R2Target, from: string, to: string): Promise<string[]> {
  const copied: string[] = [];
  try {
    for await (const objects of objectsUnder(target, from)) {
      for (let at = 0; at < objects.length; at += COPIES_AT_ONCE) {
        const batch = objects.slice(at, at + COPIES_AT_ONCE);
        await Promise.all(
          batch.map(async (object) => {
            await copyObject(target, object, to + object.key.slice(from.length), CREATE);
            copied.push(object.key);
          }),
        );
      }
    }
  } catch (error) {
    const made = copied.map((key) => to + key.slice(from.length));
    for (let at = 0; at < made.length; at += 1000)
      await target.bucket.delete(made.slice(at, at + 1000)).catch(() => {});
    throw error;
  }
  return copied;
}

/**
 * Copies `source` to `to` with its metadata: its body streamed into one `put()`, or past R2's
 * largest put, ranged gets into the parts of an upload, checked against `onlyIf` before it
 * completes (the binding's completion takes no condition).
 */
async function copyObject(
  target: R2Target,
  source: R2ObjectLike,
  to: string,
  onlyIf: R2ConditionalLike | null,
): Promise<void> {
  const object = await target.bucket.get(source.key);
  if (object === null) throw writeError("ENOENT", `${source.key} is gone`);
  const metadata = { httpMetadata: object.httpMetadata ?? {}, customMetadata: object.customMetadata ?? {} };
  if (object.size <= target.limits.singlePut) {
    const stored = await target.bucket.put(to, object.body, { ...metadata, ...(onlyIf && { onlyIf }) });
    if (stored === null) throw writeError("EEXIST", `something is at ${to}`);
    return;
  }
  await object.body.cancel();
  const upload = await target.bucket.createMultipartUpload(to, metadata);
  try {
    const sent = [];
    const step = target.limits.copyPartSize;
    for (let offset = 0; offset < object.size; offset += step) {
      const range = { offset, length: Math.min(step, object.size - offset) };
      const part = await target.bucket.get(source.key, { range });
      if (part === null) throw writeError("ENOENT", `${source.key} is gone`);
      sent.push(await upload.uploadPart(sent.length + 1, part.body));
    }
    if (onlyIf !== null && !holds(onlyIf, await target.bucket.head(to)))
      throw writeError("EEXIST", `something is at ${to}`);
    await upload.complete(sent);
  } catch (error) {
    await upload.abort().catch(() => {});
    throw error;
  }
}
