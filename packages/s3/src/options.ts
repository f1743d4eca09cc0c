/**
 * What `s3FileSystem()` and `checkBucket()` take, and where each request goes.
 *
 * @module
 */
import { folderPrefix } from "@simplehttp/core";

/** The keys a request is signed with (AWS Signature Version 4). */
export interface S3Credentials {
  /**
   * The access key ID.
   * @example "AKIAIOSFODNN7EXAMPLE"
   */
  accessKeyId: string;
  /**
   * The secret access key.
   * @example "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
   */
  secretAccessKey: string;
  /**
   * The session token of temporary credentials (STS, an IAM role, SSO), sent as
   * `X-Amz-Security-Token`.
   * @default undefined (long-term keys)
   * @example process.env.AWS_SESSION_TOKEN
   */
  sessionToken?: string;
}

/** A `fetch`: the runtime's own, or one of yours (to count, log, or route requests). */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Where the bucket is and how to reach it. */
export interface S3Options {
  /**
   * The bucket's name.
   * @example "my-site"
   */
  bucket: string;
  /**
   * The folder of the bucket to serve: keys under it are the site, and `/` is the folder itself.
   * A trailing `/` is implied.
   * @default "" (the whole bucket)
   * @example "public/v2"
   */
  prefix?: string;
  /**
   * The S3-compatible service's URL (R2, MinIO, B2, Tigris, a local moto). Unset, AWS S3 in
   * `region`.
   * @default `https://s3.${region}.amazonaws.com`
   * @example "https://<account>.r2.cloudflarestorage.com"
   */
  endpoint?: string;
  /**
   * The region the signature names. R2 takes `auto` (and `us-east-1`); most other services any.
   * @default "us-east-1"
   * @example "eu-west-3"
   */
  region?: string;
  /** The keys requests are signed with. */
  credentials: S3Credentials;
  /**
   * How the bucket is named in URLs. `"path"`: `https://endpoint/bucket/key`, which every
   * S3-compatible service understands and which needs no DNS per bucket. `"virtual-hosted"`:
   * `https://bucket.s3.region.amazonaws.com/key`, what AWS recommends ("Virtual hosting of
   * buckets", S3 User Guide); only for AWS itself, and only for names that are valid host labels
   * without dots (a dotted name breaks the TLS wildcard certificate).
   * @default "virtual-hosted" for AWS when the name allows it, else "path"
   * @example "path"
   */
  addressing?: "path" | "virtual-hosted";
  /**
   * The `fetch` requests go through.
   * @default globalThis.fetch
   * @example (input, init) => { calls++; return fetch(input, init); }
   */
  fetch?: Fetch;
  /**
   * How many times a request is tried again after a network failure, a 5xx or a 429, waiting
   * about 100 ms, then 200 ms, … in between. Reads are retried, and of the writes only those that
   * do nothing more when sent twice (a part of an upload, a delete): a conditional write never is,
   * since its second try would meet its own first. A body already being sent is never retried.
   * @default 2
   * @example 0
   */
  retries?: number;
  /**
   * How long one call to the store may take, in milliseconds, up to its response head: its
   * retries and the pauses between them included (the body then takes as long as the client reads
   * it). A call that runs out is answered 504 Gateway Timeout (RFC 9110 §15.6.5). Ten seconds: S3
   * answers in tens of milliseconds, its slowest in a second or two, and a person waiting for a
   * page has given up well before thirty. A request makes one to three calls in turn (an object,
   * then a prefix, then a 404 page), each bounded by this. A call that sends bytes (a write) has a
   * second more per MiB it sends.
   * @default 10000
   * @example 30000 // a store far away, or one that builds its answers slowly
   */
  timeoutMs?: number;
  /**
   * Let the handler write to the bucket (docs/writes.md): `PUT`, a form upload, `MKCOL`,
   * `DELETE`, `MOVE` and `COPY`, each also needing the handler's `write` option. Off, the
   * filesystem has no `writes` and every write answers 405, whatever the handler allows: a
   * bucket opened to be served is not written by mistake, as a disk is not unless opened writable.
   * The credentials then need `s3:PutObject` and `s3:DeleteObject` (and `s3:AbortMultipartUpload`).
   * @default false
   * @example true
   */
  writable?: boolean;
}

/** The options, checked and with their defaults. */
export interface ResolvedOptions {
  bucket: string;
  /** The key prefix of the served root: `""` or ending in `/`. */
  prefix: string;
  region: string;
  credentials: S3Credentials;
  fetch: Fetch;
  retries: number;
  timeoutMs: number;
  writable: boolean;
  /** The URL of the bucket's root, ending in `/`: a key's encoded form is appended to it. */
  base: string;
  /** The endpoint as people know it, for messages. */
  endpointName: string;
}

// S3 User Guide, "Bucket naming rules": 3-63 characters of lower-case letters, digits, dots and
// hyphens. Virtual-hosted names must also be one DNS label over TLS, so no dots.
const HOST_LABEL = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Checks the options and fills in the defaults; throws a TypeError naming a wrong one. */
export function resolveOptions(options: S3Options): ResolvedOptions {
  const { bucket, credentials } = options;
  if (typeof bucket !== "string" || bucket === "" || bucket.includes("/"))
    throw new TypeError(`s3: "bucket" must be a bucket name, got ${JSON.stringify(bucket)}`);
  if (!credentials?.accessKeyId || !credentials.secretAccessKey)
    throw new TypeError("s3: credentials need an accessKeyId and a secretAccessKey");
  const region = options.region ?? "us-east-1";
  const retries = options.retries ?? 2;
  if (!Number.isInteger(retries) || retries < 0)
    throw new TypeError(`s3: "retries" must be a whole number ≥ 0, got ${retries}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  // setTimeout takes at most 2^31 - 1 ms (about 24 days) and fires at once for more.
  if (!(timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1))
    throw new TypeError(`s3: "timeoutMs" must be above 0 and at most 2147483647 (ms), got ${timeoutMs}`);
  const endpoint = (options.endpoint ?? `https://s3.${region}.amazonaws.com`).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`s3: "endpoint" must be a URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new TypeError(`s3: "endpoint" must be http or https, got ${endpoint}`);
  const addressing =
    options.addressing ?? (options.endpoint === undefined && HOST_LABEL.test(bucket) ? "virtual-hosted" : "path");
  const base =
    addressing === "virtual-hosted"
      ? `${url.protocol}//${bucket}.${url.host}${url.pathname.replace(/\/$/, "")}/`
      : `${endpoint}/${encodeURIComponent(bucket)}/`;
  return {
    bucket,
    prefix: folderPrefix(options.prefix ?? ""),
    region,
    credentials,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    retries,
    timeoutMs,
    writable: options.writable ?? false,
    base,
    endpointName: `${url.protocol}//${url.host}`,
  };
}
