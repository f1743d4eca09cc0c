/**
 * S3's multipart upload: CreateMultipartUpload, parts (UploadPart, or UploadPartCopy from another
 * object), then CompleteMultipartUpload, which makes the object appear whole, or
 * AbortMultipartUpload, which drops the parts. Until the completion nothing is at the key.
 *
 * @module
 */
import { type Condition, writeAnswer } from "./answers.js";
import { S3Error } from "./errors.js";
import { encodeKey, encodeRfc3986, queryString } from "./keys.js";
import type { WriteTarget } from "./target.js";
import { text } from "./xml.js";

/** One upload under way: its key and its id. */
export interface Upload {
  key: string;
  id: string;
}

/** Starts an upload to `key`; `headers` are the object's (its type, its `x-amz-meta-*`). */
export async function createUpload(target: WriteTarget, key: string, headers: Record<string, string>): Promise<Upload> {
  const what = `CreateMultipartUpload ${key}`;
  // Not retried: a second try would start a second upload, and leave the first behind.
  const response = await target.send({ method: "POST", path: encodeKey(key), query: "?uploads=", headers, what });
  const id = text(await writeAnswer(response, what, null), "UploadId");
  if (!id) throw new S3Error(`s3: ${what} answered no UploadId`, response.status);
  return { key, id };
}

function partQuery(upload: Upload, number: number): string {
  return queryString({ partNumber: String(number), uploadId: upload.id });
}

/** Sends part `number` (from 1) of `upload`; answers its ETag, which the completion names. */
export async function uploadPart(
  target: WriteTarget,
  upload: Upload,
  number: number,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const what = `UploadPart ${upload.key} #${number}`;
  // Sending a part again replaces it with the same bytes: safe to retry.
  const response = await target.send({
    method: "PUT",
    path: encodeKey(upload.key),
    query: partQuery(upload, number),
    body: bytes,
    idempotent: true,
    what,
  });
  await writeAnswer(response, what, null);
  return partETag(response.headers.get("etag"), what, response.status);
}

/** Copies bytes `start`–`end` of `source` in the bucket as part `number` of `upload` (UploadPartCopy). */
export async function copyPart(
  target: WriteTarget,
  upload: Upload,
  number: number,
  source: string,
  range: { start: number; end: number },
): Promise<string> {
  const what = `UploadPartCopy ${upload.key} #${number} from ${source}`;
  const response = await target.send({
    method: "PUT",
    path: encodeKey(upload.key),
    query: partQuery(upload, number),
    headers: { "x-amz-copy-source": copySource(target, source), "x-amz-copy-source-range": rangeOf(range) },
    idempotent: true,
    what,
  });
  const answer = await writeAnswer(response, what, null);
  return partETag(text(answer, "ETag") ?? null, what, response.status);
}

function rangeOf(range: { start: number; end: number }): string {
  return `bytes=${range.start}-${range.end}`;
}

/** `x-amz-copy-source`: the bucket and the key, percent-encoded (CopyObject, S3 API Reference). */
export function copySource(target: WriteTarget, key: string): string {
  return `/${encodeRfc3986(target.bucket)}/${encodeKey(key)}`;
}

function partETag(etag: string | null, what: string, status: number): string {
  if (!etag) throw new S3Error(`s3: ${what} answered no ETag`, status);
  return etag;
}

/**
 * Completes `upload` from its parts' tags, under `condition`; answers the object's ETag. Refused
 * for its condition, it throws the condition's code, and the caller aborts the upload.
 */
export async function completeUpload(
  target: WriteTarget,
  upload: Upload,
  etags: readonly string[],
  condition: Condition | null,
): Promise<string | undefined> {
  const what = `CompleteMultipartUpload ${upload.key}`;
  const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`);
  const xml = `<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`;
  const response = await target.send({
    method: "POST",
    path: encodeKey(upload.key),
    query: queryString({ uploadId: upload.id }),
    headers: { "content-type": "application/xml", ...condition?.headers },
    body: new TextEncoder().encode(xml),
    what,
  });
  return text(await writeAnswer(response, what, condition), "ETag");
}

/**
 * Drops `upload` and its parts. Its own failure is not thrown: the write already failed for a
 * reason the caller reports, and a part left behind is what a bucket's lifecycle rule for
 * incomplete uploads removes ("AbortIncompleteMultipartUpload", S3 User Guide).
 */
export async function abortUpload(target: WriteTarget, upload: Upload): Promise<void> {
  const what = `AbortMultipartUpload ${upload.key}`;
  const query = queryString({ uploadId: upload.id });
  try {
    const response = await target.send({
      method: "DELETE",
      path: encodeKey(upload.key),
      query,
      idempotent: true,
      what,
    });
    await response.body?.cancel();
  } catch {
    // See above: the lifecycle rule's to remove.
  }
}

/** Text as XML character data: `&`, `<`, `>` and quotes escaped. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
