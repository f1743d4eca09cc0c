/**
 * `s3FileSystem()`: the core's FileSystem over an S3-compatible bucket, on `fetch`.
 *
 * Round trips: a GET of a file is one GET (bytes and metadata together, through `open()`); a HEAD
 * one HEAD; a missing path one GET or HEAD and one list; a folder one list per 1,000 entries.
 *
 * @module
 */
import { DIRECTORY_STAT, SMALL_READ, type ByteRange, type FileStat, type FileSystem, type OpenedFile, type RangeHint } from "@simplehttp/core";
import { bodyStream, exactLength } from "./body.js";
import { errorBody, errorOf, gone, S3Error } from "./errors.js";
import { encodeKey, isKey, queryString } from "./keys.js";
import { hasKeysUnder, listAll } from "./list.js";
import { contentLength, contentRange, statFromHeaders, storedEncoding } from "./metadata.js";
import { resolveOptions, type S3Options } from "./options.js";
import { sender } from "./request.js";

/**
 * A FileSystem over the bucket (or the folder `prefix` of it) that `options` name. Only web APIs
 * are used (fetch, Web Crypto through aws4fetch, streams), so it runs on Node, Bun, Deno and in
 * workers alike.
 *
 * @example In a worker, with the keys as secrets
 * ```ts
 * import { createHandler } from "@simplehttp/core";
 * import { s3FileSystem } from "@simplehttp/s3";
 *
 * export default {
 *   fetch(request: Request, env: { KEY_ID: string; SECRET: string }) {
 *     const fs = s3FileSystem({
 *       bucket: "my-site",
 *       endpoint: "https://<account>.r2.cloudflarestorage.com",
 *       region: "auto",
 *       credentials: { accessKeyId: env.KEY_ID, secretAccessKey: env.SECRET },
 *     });
 *     return createHandler({ fs })(request);
 *   },
 * };
 * ```
 * @example On Node, Bun or Deno, from the AWS_* variables
 * ```ts
 * const fs = s3FileSystem(s3OptionsFromEnv(process.env, "my-site"));
 * ```
 */
export function s3FileSystem(options: S3Options): FileSystem {
  const resolved = resolveOptions(options);
  const send = sender(resolved);
  const keyOf = (path: string): string => resolved.prefix + path;
  const get = (path: string, range?: string, query = ""): Promise<Response> =>
    send({ method: "GET", path: encodeKey(keyOf(path)), query, range, what: `GET ${keyOf(path)}` });

  /** A missing key: a folder when keys are below it (unless only files will do), else nothing. */
  const folderOrNothing = async (path: string, filesOnly: boolean): Promise<FileStat | null> =>
    !filesOnly && (await hasKeysUnder(send, `${keyOf(path)}/`)) ? DIRECTORY_STAT : null;

  const stat = async (path: string): Promise<FileStat | null> => {
    // The served root is there even when nothing is in it yet, as a disk's root is.
    if (path === "") return DIRECTORY_STAT;
    if (!isKey(path)) return null;
    const what = `HEAD ${keyOf(path)}`;
    const response = await send({ method: "HEAD", path: encodeKey(keyOf(path)), what });
    if (response.status === 404) return folderOrNothing(path, false);
    if (!response.ok) throw await errorOf(response, what);
    return statFromHeaders(response.headers, contentLength(response.headers) ?? 0);
  };

  return {
    stat,

    async read(path: string, range: ByteRange) {
      if (!isKey(path)) throw gone(path);
      // Asks the store to say `identity` instead of the stored Content-Encoding (GetObject's
      // response-content-encoding), so that no runtime decodes what must go out as stored.
      const query = queryString({ "response-content-encoding": "identity" });
      const response = await get(path, `bytes=${range.start}-${range.end}`, query);
      const what = `GET ${keyOf(path)} bytes ${range.start}-${range.end}`;
      if (response.status === 404) {
        await response.body?.cancel();
        throw gone(keyOf(path));
      }
      // Shorter now than when the core looked: a retry will see the new size (errors.ts EAGAIN).
      if (response.status === 416) {
        await response.body?.cancel();
        throw new S3Error(`s3: ${what}: the object shrank`, 416, "InvalidRange", { code: "EAGAIN" });
      }
      if (!response.ok) throw await errorOf(response, what);
      const length = range.end - range.start + 1;
      const got = response.status === 206 ? contentRange(response.headers) : { start: 0, end: (contentLength(response.headers) ?? 0) - 1 };
      if (got?.start !== range.start || got.end !== range.end) {
        await response.body?.cancel();
        throw new S3Error(`s3: ${what} answered another range (${response.headers.get("content-range") ?? "the whole object"}): the object changed`, response.status, undefined, { code: "EAGAIN" });
      }
      // Still encoded: the store ignored the override (moto does), and Node's fetch, which
      // decodes whatever it can, may have decoded it. Checked, not trusted.
      const encoded = storedEncoding(response.headers) !== undefined;
      if (length <= SMALL_READ) {
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (bytes.byteLength !== length) throw new S3Error(`s3: ${what} sent ${bytes.byteLength} bytes${encoded ? " (decoded by the runtime: the store ignored response-content-encoding)" : ""}`, response.status);
        return bytes;
      }
      return encoded ? exactLength(bodyStream(response), length, what) : bodyStream(response);
    },

    async readDir(path: string) {
      if (!isKey(path)) throw new S3Error(`s3: ${path} cannot be a key (not UTF-8)`, 404, undefined, { code: "ENOENT" });
      const entries = await listAll(send, path === "" ? resolved.prefix : `${keyOf(path)}/`);
      // A folder is a prefix with keys below it; with none, nothing is there (the root aside).
      if (entries === undefined && path !== "") throw new S3Error(`s3: nothing under ${keyOf(path)}/`, 404, undefined, { code: "ENOENT" });
      return entries ?? [];
    },

    async open(path: string, hint?: RangeHint, filesOnly = false): Promise<OpenedFile | null> {
      if (!isKey(path)) return null;
      const response = await get(path, hint === undefined ? undefined : rangeHeader(hint));
      if (response.status === 404) {
        const { code } = await errorBody(response);
        // The key is missing, or the whole bucket is: the second is an error, not a 404.
        if (code === "NoSuchBucket") throw new S3Error(`s3: bucket ${resolved.bucket} does not exist at ${resolved.endpointName}`, 404, code);
        const found = await folderOrNothing(path, filesOnly);
        return found === null ? null : { stat: found, body: null, range: null };
      }
      if (response.status === 416) {
        // The hint starts past the end (or the object is empty): S3's 416 carries no metadata,
        // so one HEAD finds it; the core answers 416, or 200 for an empty file.
        await response.body?.cancel();
        const found = await stat(path);
        return found === null ? null : { stat: found, body: null, range: null };
      }
      if (!response.ok) throw await errorOf(response, `GET ${keyOf(path)}`);
      const partial = response.status === 206 ? contentRange(response.headers) : undefined;
      const size = partial?.size ?? contentLength(response.headers);
      if (size === undefined) {
        // No length to promise (a chunked answer): the core reads again with a range.
        const whole = new Uint8Array(await response.arrayBuffer());
        return { stat: statFromHeaders(response.headers, whole.byteLength), body: whole.byteLength === 0 ? null : whole, range: null };
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
    },
  };
}

/** The `Range` header for a hint (RFC 9110 §14.1.2): `bytes=a-b`, `bytes=a-` or `bytes=-n`. */
function rangeHeader(hint: RangeHint): string {
  if ("suffix" in hint) return `bytes=-${hint.suffix}`;
  return `bytes=${hint.start}-${hint.end ?? ""}`;
}
