/**
 * `s3FileSystem()`: the core's FileSystem over an S3-compatible bucket, on `fetch`.
 *
 * Round trips: a GET of a file is one GET (bytes and metadata together, through `open()`); a HEAD
 * one HEAD; a missing path one GET or HEAD and one list; a folder one list per 1,000 entries.
 * With `writable`, the writes of writes.ts.
 *
 * @module
 */
import { DIRECTORY_STAT, type FileStat, type FileSystem } from "@simplehttp/core";
import { errorOf, S3Error } from "./errors.js";
import { encodeKey, isKey } from "./keys.js";
import { hasKeysUnder, listAll } from "./list.js";
import { contentLength, statFromHeaders } from "./metadata.js";
import { type Bucket, openObject, readObject } from "./objects.js";
import { resolveOptions, type S3Options } from "./options.js";
import { sender } from "./request.js";
import { S3_LIMITS } from "./target.js";
import { s3Writes } from "./writes.js";

/**
 * A FileSystem over the bucket (or the folder `prefix` of it) that `options` name. Only web APIs
 * are used (fetch, Web Crypto through aws4fetch, streams), so it runs on Node, Bun, Deno and in
 * workers alike. With `writable: true` it also takes writes (its `writes`), which the handler's
 * `write` option must allow too.
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
 * @example Receiving files into the bucket
 * ```ts
 * const fs = s3FileSystem({ ...s3OptionsFromEnv(process.env, "uploads"), writable: true });
 * const handler = createHandler({ fs, write: { upload: true } });
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

  const bucket: Bucket = {
    name: resolved.bucket,
    endpointName: resolved.endpointName,
    keyOf,
    get,
    stat,
    folderOrNothing,
  };
  return {
    stat,

    read: (path, range) => readObject(bucket, path, range),

    async readDir(path: string) {
      if (!isKey(path))
        throw new S3Error(`s3: ${path} cannot be a key (not UTF-8)`, 404, undefined, { code: "ENOENT" });
      const entries = await listAll(send, path === "" ? resolved.prefix : `${keyOf(path)}/`);
      // A folder is a prefix with keys below it; with none, nothing is there (the root aside).
      if (entries === undefined && path !== "")
        throw new S3Error(`s3: nothing under ${keyOf(path)}/`, 404, undefined, { code: "ENOENT" });
      return entries ?? [];
    },

    open: (path, hint, filesOnly = false) => openObject(bucket, path, hint, filesOnly),

    ...(resolved.writable && {
      writes: s3Writes({ send, bucket: resolved.bucket, keyOf, limits: S3_LIMITS }),
    }),
  };
}
