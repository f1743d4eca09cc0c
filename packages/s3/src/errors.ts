/**
 * What a store's refusals and failures mean to the core: a Node-style `code` the core's errors.ts
 * maps to a status. A store is the server this one asks on the client's behalf, so what it cannot
 * tell the client more honestly is a gateway's failure (RFC 9110 §15.6.3): a 502.
 *
 * @module
 */
import { parseXmlQuietly } from "./xml.js";

/** Why a request to the store failed: its status, and S3's error code when the body said. */
export class S3Error extends Error {
  override name = "S3Error";
  /** The store's HTTP status; `0` when no answer came (a network failure, a timeout). */
  readonly status: number;
  /** S3's error code (`NoSuchBucket`, `AccessDenied`, `SlowDown`, …), when the body carried one. */
  readonly s3Code: string | undefined;
  /**
   * The Node-style code the core maps to a status: `EACCES` (403), `ENOENT` (404), `EAGAIN`
   * (503 with Retry-After), `ETIMEDOUT` (504), a network code such as `ECONNREFUSED` (502), or
   * `EUPSTREAM` (502) for any other error answer, or an answer that is not what S3 sends.
   */
  readonly code: string;

  constructor(message: string, status: number, s3Code?: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { cause: options.cause });
    this.status = status;
    this.s3Code = s3Code;
    this.code = options.code ?? codeFor(status);
  }
}

function codeFor(status: number): string {
  // 403: refused (bad keys, a bucket policy); the client learns no more than "forbidden".
  if (status === 403) return "EACCES";
  // 503 (S3's SlowDown, "Reduce your request rate") and 429 still there after the retries: the
  // store asks us to come back later, which is what 503 with Retry-After tells the client
  // (RFC 9110 §15.6.4), as the core does for EMFILE; a 502 would say its answer was broken.
  if (status === 503 || status === 429) return "EAGAIN";
  // Any other error answer (a 500, a 400 for a request the store does not understand, a bucket
  // gone) is the store failing this request: a bad gateway, not a bug here.
  return "EUPSTREAM";
}

/** The error a failed response stands for; reads (and so releases) its body. */
export async function errorOf(response: Response, what: string): Promise<S3Error> {
  const { code, message } = await errorBody(response);
  const detail =
    code === undefined ? `${response.status}` : `${response.status} ${code}${message ? `: ${message}` : ""}`;
  return new S3Error(`s3: ${what} answered ${detail}`, response.status, code);
}

/** S3's `<Error><Code>…</Code><Message>…</Message></Error>`, if the body is one (HEAD has none). */
export async function errorBody(response: Response): Promise<{ code?: string; message?: string }> {
  return parseErrorBody(await response.text().catch(() => ""));
}

/** The code and message of S3's `<Error>` document, if `text` is one (S3 API Reference, "Error responses"). */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  if (!text.includes("<Error")) return {};
  const error = parseXmlQuietly(text)?.Error;
  if (typeof error !== "object" || error === null) return {};
  const { Code: code, Message: message } = error as Record<string, unknown>;
  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : undefined,
  };
}

/** An error for "not there" when the core asked for bytes it had just seen (a race with a delete). */
export function gone(path: string): S3Error {
  return new S3Error(`s3: ${path} is gone`, 404, "NoSuchKey", { code: "ENOENT" });
}

/**
 * A write refused for what the bucket holds (`EEXIST`, `ESTALE`, `ENOENT`, …) or for its body
 * (`EFBIG`, `EBADMSG`): a plain error with the code the core maps to a status (core's
 * fs/writes.ts), not the store failing.
 */
export function writeError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(`s3: ${message}`), { code });
}
