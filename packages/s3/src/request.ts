/**
 * One signed request to the store, tried again a bounded number of times when that is safe.
 *
 * @module
 */
import { AwsV4Signer } from "aws4fetch";
import { S3Error } from "./errors.js";
import { messageOf, networkCode } from "./network.js";
import type { ResolvedOptions } from "./options.js";

/** The methods sent: reads, and for writes PUT (objects, parts), POST (multipart calls) and DELETE. */
export type S3Method = "GET" | "HEAD" | "PUT" | "POST" | "DELETE";

/** A request under the bucket's root URL. */
export interface S3Request {
  method: S3Method;
  /** The encoded path under the bucket (`docs/a%20b.txt`), `""` for the bucket itself. */
  path: string;
  /** The query string, with its `?`, or `""`. */
  query?: string;
  /** A `Range` header (not signed: aws4fetch leaves it out, as S3 allows). */
  range?: string;
  /** What the request is, for error messages (`GET docs/a.txt`). */
  what: string;
  /** More headers, signed with the rest (`if-none-match`, `x-amz-meta-mtime`, …). */
  headers?: Record<string, string>;
  /** The bytes sent: one object or one part, whole, so a retry can send them again. */
  body?: Uint8Array<ArrayBuffer>;
  /**
   * Whether sending it twice does no more than sending it once (RFC 9110 §9.2.2), so a failure
   * may be tried again: every GET and HEAD is; a write only when its caller says so (a part, a
   * delete), never a conditional one, whose second try would meet its own first.
   */
  idempotent?: boolean;
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

/**
 * A call that sends bytes has this long more per MiB it sends (a part is 8 MiB): `timeoutMs`
 * bounds an answer, and a body must first get there. One second per MiB is 8 Mbit/s, slower than
 * any link a server writes to its store over.
 */
const MS_PER_MIB_SENT = 1000;

/** The function that sends `S3Request`s for one bucket. */
export type Send = (request: S3Request) => Promise<Response>;

/**
 * Makes the sender for a bucket. A response is returned whatever its status once the retries are
 * spent (the caller decides what a 404 means); only failures that never produced an answer
 * reject: an {@link S3Error} of status 0, coded `ETIMEDOUT` when `timeoutMs` ran out, else as
 * network.ts names the failure (`ECONNREFUSED`, …).
 *
 * `timeoutMs` bounds the whole call, its retries and the pauses between them included, up to the
 * response's head: a client waits for one store call at most that long, however the store fails.
 */
export function sender(options: ResolvedOptions): Send {
  const { credentials, region, retries, timeoutMs } = options;
  // The signing key of a day is derived once (four HMACs), not per request.
  const cache = new Map<string, ArrayBuffer>();
  return async (request) => {
    const url = options.base + request.path + (request.query ?? "");
    const sending = ((request.body?.byteLength ?? 0) / 2 ** 20) * MS_PER_MIB_SENT;
    const allowedMs = timeoutMs + sending;
    const deadline = Date.now() + allowedMs;
    const retryable = request.method === "GET" || request.method === "HEAD" || request.idempotent === true;
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await attemptOnce(options, url, request, { ...credentials, region, cache }, deadline, allowedMs);
      } catch (thrown) {
        if (thrown instanceof S3Error) throw thrown; // the time is up
        failure = thrown;
      }
      // AWS asks clients to retry 5xx and 429 with backoff ("Retry behavior", AWS SDKs and Tools
      // reference): a 503 SlowDown in particular is S3 shedding load for a moment.
      if (response !== undefined && response.status < 500 && response.status !== 429) return response;
      const wait = backoff(attempt);
      // No retry that the deadline would cut short: the last answer (or failure) stands.
      if (!retryable || attempt >= retries || Date.now() + wait >= deadline) {
        if (response !== undefined) return response;
        throw unreachable(options, request, failure);
      }
      await response?.body?.cancel().catch(() => {});
      await pause(wait);
    }
  };
}

/** The error for a call that got no answer, coded as network.ts names the failure. */
function unreachable(options: ResolvedOptions, request: S3Request, thrown: unknown): S3Error {
  const code = networkCode(thrown);
  const why = code === "EUPSTREAM" ? messageOf(thrown) : code;
  return new S3Error(`s3: ${request.what}: cannot reach ${options.endpointName} (${why})`, 0, undefined, {
    cause: thrown,
    code,
  });
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
  deadline: number,
  allowedMs: number,
): Promise<Response> {
  const headers = new Headers(request.headers);
  if (request.range !== undefined) headers.set("range", request.range);
  const { method, body } = request;
  const signed = await new AwsV4Signer({ ...keys, method, url, headers, body, service: "s3" }).sign();
  // Bounds the wait for the response head only: a body is read as fast as the client reads it.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort();
    },
    Math.max(0, deadline - Date.now()),
  );
  const init: RequestInit & typeof KEEP_ENCODED = {
    method,
    headers: signed.headers,
    ...(body !== undefined && { body }),
    signal: controller.signal,
    ...KEEP_ENCODED,
  };
  try {
    return await options.fetch(signed.url.toString(), init);
  } catch (thrown) {
    if (timedOut)
      throw new S3Error(
        `s3: ${request.what}: ${options.endpointName} did not answer within ${allowedMs / 1000} s`,
        0,
        undefined,
        { cause: thrown, code: "ETIMEDOUT" },
      );
    throw thrown;
  } finally {
    clearTimeout(timer);
  }
}

/** The pause before attempt `attempt + 1`: 100 ms, 200 ms, 400 ms, … each with jitter (half to all of it). */
function backoff(attempt: number): number {
  return BACKOFF_MS * 2 ** attempt * (0.5 + Math.random() / 2);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
