/**
 * `put`: a body stored whole at a key, or not at all. Up to one part it is one PutObject; past it,
 * a multipart upload whose parts are sent as they are read, aborted on any failure (the body's,
 * the cap's, the store's), so the key never holds a part of it.
 *
 * @module
 */
import {
  contentType,
  type FileStat,
  mtimeSeconds,
  type Part,
  PartReader,
  type PutOptions,
  partSize,
  type WriteResult,
} from "@simplehttp/core";
import { type Condition, CREATE, replacing, writeAnswer } from "./answers.js";
import { writeError } from "./errors.js";
import { encodeKey } from "./keys.js";
import { MTIME_HEADER, statFromHeaders, strongETag } from "./metadata.js";
import { abortUpload, completeUpload, createUpload, uploadPart } from "./multipart.js";
import { headObject, isFolder, placeRefusal, type WriteTarget, writableKey } from "./target.js";

/**
 * Stores `body` at `path` as the contract says (core's fs/writes.ts). A create is sent with
 * `If-None-Match: *` and a replace of a version with `If-Match`, so the store itself refuses a
 * write that lost a race, at the moment the object would appear.
 *
 * @example
 * ```ts
 * await putObject(target, "docs/a.txt", body, { mode: "create", maxBytes: 2 ** 30, parents: true });
 * ```
 */
export async function putObject(
  target: WriteTarget,
  path: string,
  body: ReadableStream<Uint8Array>,
  options: PutOptions,
): Promise<WriteResult> {
  let parts: PartReader | undefined;
  try {
    const key = writableKey(target, path);
    const existed = await checkPlace(target, path, key, options);
    const { partSize: least, maxParts } = target.limits;
    parts = new PartReader(body, partSize(options.length ?? options.maxBytes, least, maxParts), options);
    const headers = objectHeaders(path, options.mtimeMs);
    const condition = await conditionOf(target, key, options);
    const first = await parts.next();
    const etag = first.last
      ? await putOnce(target, key, first.bytes, { ...headers, ...condition?.headers }, condition)
      : await putInParts(target, key, parts, first, headers, condition);
    const stat: FileStat = {
      kind: "file",
      size: parts.total,
      mtimeMs: options.mtimeMs ?? Date.now(),
      contentType: headers["content-type"],
      ...(etag !== undefined && { etag }),
    };
    return { created: options.mode === "create" || !existed, stat };
  } catch (error) {
    await (parts === undefined ? body.cancel(error).catch(() => {}) : parts.cancel(error));
    throw error;
  }
}

/**
 * Refuses a put that cannot happen there: a folder at the name (`EEXIST` to a create, `EISDIR` to
 * a replace), or no folder for it (core's `placeRefusal`). Answers whether a file was there, for a
 * replace that names no version (one that does replaces a file, or fails).
 */
async function checkPlace(target: WriteTarget, path: string, key: string, options: PutOptions): Promise<boolean> {
  const plainReplace = options.mode === "replace" && options.expected === undefined;
  const [folder, refusal, current] = await Promise.all([
    isFolder(target, path),
    placeRefusal(target, path, options.parents),
    plainReplace ? headObject(target, key) : null,
  ]);
  if (refusal !== null) throw writeError(refusal, `no folder for ${key}`);
  if (folder) throw writeError(options.mode === "create" ? "EEXIST" : "EISDIR", `a folder is at ${key}`);
  return options.mode === "replace" && (!plainReplace || current !== null);
}

/**
 * The condition the store checks: nothing there for a create; for a replace of a version, its tag.
 * A version known without a tag (a store that gave none) is compared by size and time now,
 * which another writer could come between: such a store can do no better.
 */
async function conditionOf(target: WriteTarget, key: string, options: PutOptions): Promise<Condition | null> {
  if (options.mode === "create") return CREATE;
  const expected = options.expected;
  if (expected === undefined) return null;
  if (expected.etag !== undefined) return replacing(expected.etag);
  const found = await headObject(target, key);
  const current = found === null ? null : statFromHeaders(found.headers, found.size);
  if (current?.size !== expected.size || current.mtimeMs !== expected.mtimeMs)
    throw writeError("ESTALE", `${key} changed`);
  return null;
}

/** What is stored with the object: its type from its name, and rclone's `mtime` when one was given. */
function objectHeaders(path: string, mtimeMs: number | undefined): Record<string, string> {
  const headers: Record<string, string> = { "content-type": contentType(path.slice(path.lastIndexOf("/") + 1)) };
  const seconds = mtimeMs === undefined ? undefined : mtimeSeconds(mtimeMs);
  if (seconds !== undefined) headers[MTIME_HEADER] = seconds;
  return headers;
}

async function putOnce(
  target: WriteTarget,
  key: string,
  bytes: Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  condition: Condition | null,
): Promise<string | undefined> {
  const what = `PUT ${key}`;
  // Sent twice, a conditional put would meet itself: only a plain one is retried.
  const idempotent = condition === null;
  const response = await target.send({ method: "PUT", path: encodeKey(key), headers, body: bytes, idempotent, what });
  await writeAnswer(response, what, condition);
  return strongETag(response.headers.get("etag"));
}

/**
 * The multipart upload: each part sent as soon as it is read. Before the completion, the
 * condition is checked once more with a HEAD, then sent with the completion itself: AWS checks it
 * there, atomically; a store that ignores it there (moto 5.2 ignores `If-Match` on
 * CompleteMultipartUpload) leaves only the time between the HEAD and the completion.
 */
async function putInParts(
  target: WriteTarget,
  key: string,
  parts: PartReader,
  first: Part,
  headers: Record<string, string>,
  condition: Condition | null,
): Promise<string | undefined> {
  const upload = await createUpload(target, key, headers);
  try {
    const etags: string[] = [];
    for (let part = first; ; part = await parts.next()) {
      etags.push(await uploadPart(target, upload, etags.length + 1, part.bytes));
      if (part.last) break;
    }
    if (condition !== null) await checkCondition(target, key, condition);
    return strongETag(await completeUpload(target, upload, etags, condition));
  } catch (error) {
    await abortUpload(target, upload);
    throw error;
  }
}

async function checkCondition(target: WriteTarget, key: string, condition: Condition): Promise<void> {
  const current = await headObject(target, key);
  const expected = condition.headers["if-match"];
  const holds = expected === undefined ? current === null : current?.etag === expected;
  if (!holds)
    throw writeError(condition.refusal, `${key}: ${expected === undefined ? "something is there" : "changed"}`);
}
