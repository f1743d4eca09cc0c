/**
 * The Workers R2 binding, typed by what this package calls: `get`, `head` and `list`. Structural,
 * so the package needs neither `@cloudflare/workers-types` nor a runtime, and the real binding
 * (`env.BUCKET`, an `R2Bucket`) is assignable to it: every member here is a supertype of the one
 * in workers-types (https://developers.cloudflare.com/r2/api/workers/workers-api-reference/).
 *
 * @module
 */

/** The HTTP metadata stored with an object (set at upload: `httpMetadata` or rclone's headers). */
export interface R2HttpMetadataLike {
  contentType?: string;
  contentEncoding?: string;
  cacheControl?: string;
}

/** An object's metadata, as `head()` and `list()` give it. */
export interface R2ObjectLike {
  readonly key: string;
  readonly size: number;
  /** The ETag quoted as HTTP wants it (`"<md5>"`, or `"<md5>-<parts>"` for a multipart upload). */
  readonly httpEtag: string;
  readonly uploaded: Date;
  /** Empty in `list()` results unless asked for with `include: ["httpMetadata"]`. */
  readonly httpMetadata?: R2HttpMetadataLike;
  /** User metadata (S3's `x-amz-meta-*`); empty in `list()` unless `include: ["customMetadata"]`. */
  readonly customMetadata?: Record<string, string>;
}

/** An object with its bytes, as `get()` gives it. */
export interface R2ObjectBodyLike extends R2ObjectLike {
  readonly body: ReadableStream<Uint8Array<ArrayBuffer>>;
  /** The whole body (of the range asked for) in memory. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A range as R2 takes it. Only these two forms are sent: the `Headers` form answers a multi-range
 * (and, in Miniflare, an unsatisfiable one) with the whole object, which this package never wants.
 */
export type R2RangeLike = { offset: number; length?: number } | { suffix: number };

/** The options of `list()` this package sends. */
export interface R2ListOptionsLike {
  prefix?: string;
  delimiter?: string;
  cursor?: string;
  /** At most 1,000 (a larger value throws); delimited prefixes count toward it. */
  limit?: number;
  include?: ("httpMetadata" | "customMetadata")[];
}

/** One page of `list()`: short pages happen (with `include`), so only `truncated` says there is more. */
export interface R2ObjectsLike {
  objects: R2ObjectLike[];
  delimitedPrefixes: string[];
  truncated: boolean;
  /** Where the next page starts; present when `truncated`. */
  cursor?: string;
}

/**
 * What `r2FileSystem()` needs of a bucket: a Workers R2 binding, or anything shaped like one (a
 * wrapper that counts or caches calls).
 *
 * @example
 * ```ts
 * export default {
 *   fetch: (request: Request, env: { BUCKET: R2BucketLike }) =>
 *     createHandler({ fs: r2FileSystem(env.BUCKET) })(request),
 * };
 * ```
 */
export interface R2BucketLike {
  head(key: string): Promise<R2ObjectLike | null>;
  get(key: string, options?: { range?: R2RangeLike }): Promise<R2ObjectBodyLike | null>;
  list(options?: R2ListOptionsLike): Promise<R2ObjectsLike>;
}
