/**
 * What a store's refusals mean to the core: a Node-style `code` where an honest status exists
 * (the core's errors.ts maps it), none where the answer is a plain 500.
 *
 * @module
 */
import { parseXml } from "./xml.js";

/** Why a request to the store failed: its status, and S3's error code when the body said. */
export class S3Error extends Error {
  override name = "S3Error";
  /** The store's HTTP status; `0` when no answer came (a network failure, a timeout). */
  readonly status: number;
  /** S3's error code (`NoSuchBucket`, `AccessDenied`, `SlowDown`, …), when the body carried one. */
  readonly s3Code: string | undefined;
  /**
   * The Node-style code the core maps to a status: `EACCES` (403), `ENOENT` (404), `EAGAIN`
   * (503 with Retry-After). Absent for anything the client cannot be told more about (500).
   */
  readonly code?: string;

  constructor(message: string, status: number, s3Code?: string, options: { cause?: unknown; code?: string } = {}) {
    super(message, { cause: options.cause });
    this.status = status;
    this.s3Code = s3Code;
    const code = options.code ?? codeFor(status);
    if (code !== undefined) this.code = code;
  }
}

function codeFor(status: number): string | undefined {
  // 403: refused (bad keys, a bucket policy); the client learns no more than "forbidden".
  if (status === 403) return "EACCES";
  // 503 (S3's SlowDown, "Reduce your request rate") and 429 still there after the retries: the
  // store asks us to come back later, which is what 503 with Retry-After tells the client
  // (RFC 9110 §15.6.4), as the core does for EMFILE. Other 5xx are the store broken: a 500.
  if (status === 503 || status === 429) return "EAGAIN";
  return undefined;
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
  let text = "";
  try {
    text = await response.text();
  } catch {
    return {};
  }
  if (!text.includes("<Error")) return {};
  const error = parseXml(text).Error;
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
