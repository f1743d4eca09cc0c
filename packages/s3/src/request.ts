/**
 * One signed request to the store, tried again a bounded number of times when that is safe.
 *
 * @module
 */
import { AwsV4Signer } from "aws4fetch";
import { S3Error } from "./errors.js";
import type { ResolvedOptions } from "./options.js";

/** Only reads: both idempotent (RFC 9110 §9.2.2), so every one of them may be retried. */
export type ReadMethod = "GET" | "HEAD";

/** A request under the bucket's root URL. */
export interface S3Request {
  method: ReadMethod;
  /** The encoded path under the bucket (`docs/a%20b.txt`), `""` for the bucket itself. */
  path: string;
  /** The query string, with its `?`, or `""`. */
  query?: string;
  /** A `Range` header (not signed: aws4fetch leaves it out, as S3 allows). */
  range?: string;
  /** What the request is, for error messages (`GET docs/a.txt`). */
  what: string;
}

/**
 * Runtime switches that keep a body as the store sent it. A runtime's fetch decodes a body whose
 * `Content-Encoding` it knows (the Fetch standard's "HTTP-network fetch", step on codings), but
 * an object stored compressed must reach the client as stored, with its length. workerd keeps
 * it with `encodeResponseBody: "manual"`, Bun with `decompress: false`; others ignore both.
 * Node's fetch has no such switch: see `read()` in filesystem.ts.
 */
const KEEP_ENCODED = { encodeResponseBody: "manual", decompress: false } as const;

const BACKOFF_MS = 100;

/** The function that sends `S3Request`s for one bucket. */
export type Send = (request: S3Request) => Promise<Response>;

/**
 * Makes the sender for a bucket. A response is returned whatever its status once the retries are
 * spent (the caller decides what a 404 means); only failures that never produced an answer
 * reject, with an {@link S3Error} of status 0.
 */
export function sender(options: ResolvedOptions): Send {
  const { credentials, region, retries, timeoutMs } = options;
  // The signing key of a day is derived once (four HMACs), not per request.
  const cache = new Map<string, ArrayBuffer>();
  return async (request) => {
    const url = options.base + request.path + (request.query ?? "");
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      let response: Response;
      try {
        response = await attemptOnce(options, url, request, { ...credentials, region, cache }, timeoutMs);
      } catch (thrown) {
        if (thrown instanceof S3Error && thrown.status === 0 && thrown.s3Code === "Timeout") throw thrown;
        if (last)
          throw new S3Error(
            `s3: ${request.what}: cannot reach ${options.endpointName} (${messageOf(thrown)})`,
            0,
            undefined,
            { cause: thrown },
          );
        await pause(attempt);
        continue;
      }
      // AWS asks clients to retry 5xx and 429 with backoff ("Retry behavior", AWS SDKs and Tools
      // reference): a 503 SlowDown in particular is S3 shedding load for a moment.
      if (last || (response.status < 500 && response.status !== 429)) return response;
      await response.body?.cancel().catch(() => {});
      await pause(attempt);
    }
  };
}

interface SigningKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  cache: Map<string, ArrayBuffer>;
}

async function attemptOnce(
  options: ResolvedOptions,
  url: string,
  request: S3Request,
  keys: SigningKeys,
  timeoutMs: number,
): Promise<Response> {
  const headers = new Headers();
  if (request.range !== undefined) headers.set("range", request.range);
  const signed = await new AwsV4Signer({ ...keys, method: request.method, url, headers, service: "s3" }).sign();
  // Bounds the wait for the response head only: a body is read as fast as the client reads it.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const init: RequestInit & typeof KEEP_ENCODED = {
    method: request.method,
    headers: signed.headers,
    signal: controller.signal,
    ...KEEP_ENCODED,
  };
  try {
    return await options.fetch(signed.url.toString(), init);
  } catch (thrown) {
    if (timedOut)
      throw new S3Error(
        `s3: ${request.what}: ${options.endpointName} did not answer within ${timeoutMs / 1000} s`,
        0,
        "Timeout",
        { cause: thrown },
      );
    throw thrown;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits before attempt `attempt + 1`: 100 ms, 200 ms, 400 ms, … each with jitter (half to all of it). */
function pause(attempt: number): Promise<void> {
  const ms = BACKOFF_MS * 2 ** attempt * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The most telling message of a fetch failure (Node hides the system's in `cause`). */
export function messageOf(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  const cause = thrown.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string")
    return cause.code;
  return thrown.message;
}
