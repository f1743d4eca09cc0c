/**
 * A reply: what the handler decided (status, headers, body), before it becomes a `Response`.
 *
 * The fetch handler turns every reply into a `Response`. A runtime's own server may write a reply
 * itself instead (Node's serve() does, see createResponder), skipping the `Response` and, for a
 * deferred body (fs.ts), the stream.
 *
 * @module
 */
import { type FileBody, isDeferred } from "../fs/file-system.js";
import { headersInit } from "./reply-headers.js";

/** A file body, or a stream the handler made of one (gzip, multipart). */
export type ReplyBody = FileBody | ReadableStream<Uint8Array>;

/** The handler's answer to one request. */
export interface Reply {
  status: number;
  headers: Headers;
  /** `null` for no body (HEAD, 304, redirects). */
  body: ReplyBody | null;
  /** The body is already encoded as `Content-Encoding` says (a precompressed file). */
  encoded: boolean;
}

/**
 * The `Response` for `reply`.
 *
 * @example
 * ```ts
 * const response = toResponse({ status: 204, headers: new Headers(), body: null, encoded: false });
 * ```
 */
export function toResponse({ status, headers, body, encoded }: Reply): Response {
  // workerd would encode a body again when it sees Content-Encoding, unless told the body is
  // already encoded ("manual"); other runtimes ignore the unknown field.
  const init: ResponseInit & { encodeBody?: "manual" } = encoded
    ? { status, headers: headersInit(headers), encodeBody: "manual" }
    : { status, headers: headersInit(headers) };
  return new Response(body === null ? null : isDeferred(body) ? body.stream() : body, init);
}

/** A reply without Content-Encoding. */
export function reply(status: number, headers: Headers, body: ReplyBody | null = null): Reply {
  return { status, headers, body, encoded: false };
}
