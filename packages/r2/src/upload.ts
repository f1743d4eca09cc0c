/**
 * `put`: a body stored whole at a key, or not at all. Up to one part it is one `put()`; past it,
 * the binding's multipart upload, its parts sent as they are read, aborted on any failure (the
 * body's, the cap's, R2's), so the key never holds a part of it.
 *
 * @module
 */
import {
  contentType,
  mtimeSeconds,
  type Part,
  PartReader,
  type PutOptions,
  partSize,
  type WriteResult,
} from "@simplehttp/core";
import type { R2ConditionalLike, R2ObjectLike, R2PutOptionsLike } from "./binding.js";
import { writeError } from "./errors.js";
import { statOf } from "./metadata.js";
import { headOf, isFolder, placeRefusal, type R2Target, writableKey } from "./place.js";

/**
 * Stores `body` at `path` as the contract says (core's fs/writes.ts). A create is sent with
 * `onlyIf: { etagDoesNotMatch: "*" }` and a replace of a version with `etagMatches`, so R2 itself
 * refuses a write that lost a race, in the step that stores it (R2 answers `null`).
 *
 * @example
 * ```ts
 * await putObject(target, "docs/a.txt", body, { mode: "create", maxBytes: 2 ** 30, parents: true });
 * ```
 */
export async function putObject(
  target: R2Target,
  path: string,
  body: ReadableStream<Uint8Array>,
  options: PutOptions,
): Promise<WriteResult> {
  let parts: PartReader | undefined;
  try {
    const key = writableKey(target, path);
    const existed = await checkPlace(target, path, options);
    const { partSize: least, maxParts } = target.limits;
    parts = new PartReader(body, partSize(options.length ?? options.maxBytes, least, maxParts), options);
    const metadata = objectMetadata(path, options.mtimeMs);
    const onlyIf = conditionOf(options);
    const refusal = options.mode === "create" ? "EEXIST" : "ESTALE";
    const first = await parts.next();
    const stored = first.last
      ? await target.bucket.put(key, first.bytes, { ...metadata, ...(onlyIf && { onlyIf }) })
      : await putInParts(target, key, parts, first, metadata, onlyIf);
    if (stored === null)
      throw writeError(refusal, `${key}: ${refusal === "EEXIST" ? "something is there" : "changed"}`);
    return { created: options.mode === "create" || !existed, stat: statOf(stored) };
  } catch (error) {
    await (parts === undefined ? body.cancel(error).catch(() => {}) : parts.cancel(error));
    throw error;
  }
}

/**
 * Refuses a put that cannot happen there: a folder at the name (`EEXIST` to a create, `EISDIR` to
 * a replace), or no folder for it (`placeRefusal`). Answers whether a file was there, for a
 * replace that names no version (one that does replaces a file, or fails).
 */
async function checkPlace(target: R2Target, path: string, options: PutOptions): Promise<boolean> {
  const plainReplace = options.mode === "replace" && options.expected === undefined;
  const [folder, refusal, current] = await Promise.all([
    isFolder(target, path),
    placeRefusal(target, path, options.parents),
    plainReplace ? headOf(target, path) : null,
  ]);
  if (refusal !== null) throw writeError(refusal, `no folder for ${path}`);
  if (folder) throw writeError(options.mode === "create" ? "EEXIST" : "EISDIR", `a folder is at ${path}`);
  return options.mode === "replace" && (!plainReplace || current !== null);
}

/** R2's condition: nothing there for a create; for a replace of a version, its tag (R2's httpEtag). */
function conditionOf(options: PutOptions): R2ConditionalLike | null {
  if (options.mode === "create") return { etagDoesNotMatch: "*" };
  const etag = options.expected?.etag;
  if (options.expected === undefined) return null;
  if (etag === undefined) throw writeError("ESTALE", "the version to replace has no ETag");
  return { etagMatches: etag.replace(/^"|"$/g, "") };
}

/** What is stored with the object: its type from its name, and rclone's `mtime` when one was given. */
function objectMetadata(path: string, mtimeMs: number | undefined): Omit<R2PutOptionsLike, "onlyIf"> {
  const httpMetadata = { contentType: contentType(path.slice(path.lastIndexOf("/") + 1)) };
  const seconds = mtimeMs === undefined ? undefined : mtimeSeconds(mtimeMs);
  return { httpMetadata, ...(seconds !== undefined && { customMetadata: { mtime: seconds } }) };
}

/**
 * The multipart upload: each part sent as soon as it is read. The binding's completion takes no
 * condition, so it is checked just before with a `head()`: another write in the moment between
 * the two can still be replaced (a create) or lost (a replace). Refused, it answers null.
 */
async function putInParts(
  target: R2Target,
  key: string,
  parts: PartReader,
  first: Part,
  metadata: Omit<R2PutOptionsLike, "onlyIf">,
  onlyIf: R2ConditionalLike | null,
): Promise<R2ObjectLike | null> {
  const upload = await target.bucket.createMultipartUpload(key, metadata);
  try {
    const sent = [];
    for (let part = first; ; part = await parts.next()) {
      sent.push(await upload.uploadPart(sent.length + 1, part.bytes));
      if (part.last) break;
    }
    if (onlyIf !== null && !holds(onlyIf, await target.bucket.head(key))) {
      await upload.abort().catch(() => {});
      return null;
    }
    return await upload.complete(sent);
  } catch (error) {
    // Its own failure is not thrown: the write failed for the reason thrown here, and an upload
    // left behind is what R2's lifecycle rule for incomplete uploads removes (7 days by default).
    await upload.abort().catch(() => {});
    throw error;
  }
}

/** Whether `condition` holds for `current` (the object at the key now, or null). */
export function holds(condition: R2ConditionalLike, current: R2ObjectLike | null): boolean {
  if (condition.etagDoesNotMatch === "*") return current === null;
  return current !== null && current.httpEtag === `"${condition.etagMatches}"`;
}
