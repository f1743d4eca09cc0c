/**
 * Reading objects: a range of one (`read`), or one found with its bytes in a single GET (`open`),
 * checked against what the store answered, since a store may clamp a range, ignore an override,
 * or change an object between two calls.
 *
 * @module
 */
import {
  type ByteRange,
  type FileBody,
  type FileStat,
  type OpenedFile,
  type RangeHint,
  SMALL_READ,
} from "@simplehttp/core";
import { bodyStream, exactLength } from "./body.js";
import { errorBody, errorOf, gone, S3Error } from "./errors.js";
import { isKey, queryString } from "./keys.js";
import { contentLength, contentRange, statFromHeaders, storedEncoding } from "./metadata.js";

/** The calls of one bucket that reading shares with the rest of the FileSystem. */
export interface Bucket {
  /** The bucket's name, for errors. */
  name: string;
  /** Where the bucket is, for errors. */
  endpointName: string;
  /** The key of a path under the served prefix. */
  keyOf(path: string): string;
  /** A GET of the object at `path`, with an optional `Range` and query string. */
  get(path: string, range?: string, query?: string): Promise<Response>;
  /** A HEAD of `path` as a stat (a folder when keys are below it), or null. */
  stat(path: string): Promise<FileStat | null>;
  /** For a missing key: a folder when keys are below it (unless only files will do), else null. */
  folderOrNothing(path: string, filesOnly: boolean): Promise<FileStat | null>;
}

/**
 * Bytes `range` of the object at `path`, exactly: a store that answers another range or length
 * (the object changed) throws `EAGAIN`, which the core answers 503 with Retry-After.
 *
 * @example
 * ```ts
 * const body = await readObject(bucket, "docs/a.txt", { start: 0, end: 99 });
 * ```
 */
export async function readObject(bucket: Bucket, path: string, range: ByteRange): Promise<FileBody> {
  if (!isKey(path)) throw gone(path);
  // Asks the store to say `identity` instead of the stored Content-Encoding (GetObject's
  // response-content-encoding), so that no runtime decodes what must go out as stored.
  const query = queryString({ "response-content-encoding": "identity" });
  const response = await bucket.get(path, `bytes=${range.start}-${range.end}`, query);
  const what = `GET ${bucket.keyOf(path)} bytes ${range.start}-${range.end}`;
  if (response.status === 404) {
    await response.body?.cancel();
    throw gone(bucket.keyOf(path));
  }
  // Shorter now than when the core looked: a retry will see the new size (errors.ts EAGAIN).
  if (response.status === 416) {
    await response.body?.cancel();
    throw new S3Error(`s3: ${what}: the object shrank`, 416, "InvalidRange", { code: "EAGAIN" });
  }
  if (!response.ok) throw await errorOf(response, what);
  const length = range.end - range.start + 1;
  const got =
    response.status === 206
      ? contentRange(response.headers)
      : { start: 0, end: (contentLength(response.headers) ?? 0) - 1 };
  if (got?.start !== range.start || got.end !== range.end) {
    await response.body?.cancel();
    throw new S3Error(
      `s3: ${what} answered another range ` +
        `(${response.headers.get("content-range") ?? "the whole object"}): the object changed`,
      response.status,
      undefined,
      { code: "EAGAIN" },
    );
  }
  // Still encoded: the store ignored the override (moto does), and Node's fetch, which
  // decodes whatever it can, may have decoded it. Checked, not trusted.
  const encoded = storedEncoding(response.headers) !== undefined;
  if (length <= SMALL_READ) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength !== length)
      throw new S3Error(
        `s3: ${what} sent ${bytes.byteLength} bytes` +
          `${encoded ? " (decoded by the runtime: the store ignored response-content-encoding)" : ""}`,
        response.status,
      );
    return bytes;
  }
  return encoded ? exactLength(bodyStream(response), length, what) : bodyStream(response);
}

/**
 * The object at `path` with its bytes (or the range `hint` asks for) in one GET; a folder's stat
 * when `path` is a prefix with keys below it (unless `filesOnly`); null when nothing is there.
 *
 * @example
 * ```ts
 * const opened = await openObject(bucket, "docs/a.txt", { start: 0, end: 99 }, true);
 * ```
 */
export async function openObject(
  bucket: Bucket,
  path: string,
  hint: RangeHint | undefined,
  filesOnly: boolean,
): Promise<OpenedFile | null> {
  if (!isKey(path)) return null;
  const response = await bucket.get(path, hint === undefined ? undefined : rangeHeader(hint));
  if (response.status === 404) {
    const { code } = await errorBody(response);
    // The key is missing, or the whole bucket is: the second is an error, not a 404.
    if (code === "NoSuchBucket")
      throw new S3Error(`s3: bucket ${bucket.name} does not exist at ${bucket.endpointName}`, 404, code);
    const found = await bucket.folderOrNothing(path, filesOnly);
    return found === null ? null : { stat: found, body: null, range: null };
  }
  if (response.status === 416) {
    // The hint starts past the end (or the object is empty): S3's 416 carries no metadata,
    // so one HEAD finds it; the core answers 416, or 200 for an empty file.
    await response.body?.cancel();
    const found = await bucket.stat(path);
    return found === null ? null : { stat: found, body: null, range: null };
  }
  if (!response.ok) throw await errorOf(response, `GET ${bucket.keyOf(path)}`);
  const partial = response.status === 206 ? contentRange(response.headers) : undefined;
  const size = partial?.size ?? contentLength(response.headers);
  if (size === undefined) {
    // No length to promise (a chunked answer): the core reads again with a range.
    const whole = new Uint8Array(await response.arrayBuffer());
    return {
      stat: statFromHeaders(response.headers, whole.byteLength),
      body: whole.byteLength === 0 ? null : whole,
      range: null,
    };
  }
  const found = statFromHeaders(response.headers, size);
  // A runtime may have decoded a stored encoding (see read()): the core reads it again,
  // through read(), which asks the store for the bytes as stored.
  if (found.contentEncoding !== undefined || size === 0) {
    await response.body?.cancel();
    return { stat: found, body: null, range: null };
  }
  const range = partial === undefined ? null : { start: partial.start, end: partial.end };
  const length = range === null ? size : range.end - range.start + 1;
  // A small body is read now (then a 304 costs its bytes, not a dropped connection).
  if (length <= SMALL_READ) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength === length) return { stat: found, body: bytes, range };
    return { stat: found, body: null, range: null };
  }
  return { stat: found, body: bodyStream(response), range };
}

/** The `Range` header for a hint (RFC 9110 §14.1.2): `bytes=a-b`, `bytes=a-` or `bytes=-n`. */
function rangeHeader(hint: RangeHint): string {
  if ("suffix" in hint) return `bytes=-${hint.suffix}`;
  return `bytes=${hint.start}-${hint.end ?? ""}`;
}
