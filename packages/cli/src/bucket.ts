/**
 * `simplehttp s3://BUCKET/PREFIX`: a bucket served in place of a directory, its credentials and
 * endpoint from the variables every AWS tool reads, and checked before the server starts, so a
 * missing bucket, refused credentials or an unreachable endpoint is one line and exit code 2.
 *
 * @module
 */
import type { FileSystem } from "@simplehttp/core";
import { BUCKET_SCHEME } from "./args.js";
import { quoted, UsageError } from "./errors.js";

/** The bucket and the prefix (a folder of it) named by `s3://BUCKET/PREFIX`. */
export function parseBucketUrl(url: string): { bucket: string; prefix: string | undefined } {
  const [bucket = "", ...rest] = url.slice(BUCKET_SCHEME.length).split("/");
  // S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens (R2 and MinIO agree).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new UsageError(`invalid bucket in ${quoted(url)}: expected s3://BUCKET/PREFIX`);
  const prefix = rest.filter((segment) => segment !== "").join("/");
  return { bucket, prefix: prefix === "" ? undefined : prefix };
}

/**
 * The bucket `url` names, as a FileSystem, once it answered a listing: the S3 package is loaded
 * only for a bucket, so serving a directory never parses it. `timeoutMs` (`--store-timeout`)
 * bounds each call to the store, the start-up listing included (the S3 package's default: 10 s).
 * `writable` (`--upload` or `--delete`) opens the bucket for writes, as serve() opens a directory
 * writable only when the command asks for writes.
 *
 * @example
 * ```ts
 * const fs = await bucketFileSystem("s3://my-site/public", process.env, 30_000, true);
 * ```
 */
export async function bucketFileSystem(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs?: number,
  writable = false,
): Promise<FileSystem> {
  const { bucket, prefix } = parseBucketUrl(url);
  const { checkBucket, s3FileSystem, s3OptionsFromEnv } = await import("@simplehttp/s3");
  const oneLine = (error: unknown): UsageError =>
    new UsageError((error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "");
  const options = (() => {
    try {
      return { ...s3OptionsFromEnv(env, bucket, prefix), ...(timeoutMs !== undefined && { timeoutMs }) };
    } catch (error) {
      throw oneLine(error);
    }
  })();
  await checkBucket(options).catch((error: unknown) => {
    throw oneLine(error);
  });
  return s3FileSystem({ ...options, writable });
}
