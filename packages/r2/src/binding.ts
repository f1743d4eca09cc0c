/**
 * The Workers R2 binding, typed by what this package calls: `get`, `head` and `list` to read, and
 * `put`, `delete` and `createMultipartUpload` to write (`R2WritableBucketLike`). Structural,
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

/** A write's condition (R2's `onlyIf`): the two forms this package sends. */
export interface R2ConditionalLike {
  /** Write only if the object's ETag is this one (`If-Match`). */
  etagMatches?: string;
  /** Write only if no object has this ETag; `"*"`: only if no object is there (`If-None-Match: *`). */
  etagDoesNotMatch?: string;
}

/** The options of `put()` and `createMultipartUpload()` this package sends. */
export interface R2PutOptionsLike {
  httpMetadata?: R2HttpMetadataLike;
  customMetadata?: Record<string, string>;
  /** Only for `put()`: R2 then answers `null`, writing nothing, when the condition does not hold. */
  onlyIf?: R2ConditionalLike;
}

/** A part sent, as the completion names it. */
export interface R2UploadedPartLike {
  partNumber: number;
  etag: string;
}

/** A multipart upload under way (`createMultipartUpload()`): nothing is at its key until `complete()`. */
export interface R2MultipartUploadLike {
  readonly key: string;
  readonly uploadId: string;
  /** Sends part `partNumber` (from 1): every part but the last of one size, at least 5 MiB. */
  uploadPart(
    partNumber: number,
    value: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>,
  ): Promise<R2UploadedPartLike>;
  abort(): Promise<void>;
  complete(uploadedParts: R2UploadedPartLike[]): Promise<R2ObjectLike>;
}

/**
 * A bucket that can also be written: what `r2FileSystem(binding, { writable: true })` needs. The
 * Workers binding is one. A stream given to `put()` or `uploadPart()` must have a known length
 * (a body R2 gave, or a FixedLengthStream); this package sends bytes, or an R2 body.
 *
 * @example
 * ```ts
 * export default {
 *   fetch: (request: Request, env: { BUCKET: R2WritableBucketLike }) =>
 *     createHandler({ fs: r2FileSystem(env.BUCKET, { writable: true }), write: { upload: true } })(request),
 * };
 * ```
 */
export interface R2WritableBucketLike extends R2BucketLike {
  put(
    key: string,
    value: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer> | null,
    options?: R2PutOptionsLike,
  ): Promise<R2ObjectLike | null>;
  /** Deletes a key, or up to 1,000 keys at once; a key not there is no error. */
  delete(keys: string | string[]): Promise<void>;
  createMultipartUpload(key: string, options?: Omit<R2PutOptionsLike, "onlyIf">): Promise<R2MultipartUploadLike>;
}
