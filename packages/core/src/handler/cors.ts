/**
 * Cross-origin reads (Fetch standard §3.2): the headers every response carries when CORS is on,
 * and the answer to a preflight.
 *
 * @module
 */
import { checkedHeader } from "../http/fields.js";

/** Cross-origin resource sharing (Fetch standard, §3.2). */
export interface CorsOptions {
  /**
   * The `Access-Control-Allow-Origin` value: `*` or one origin.
   * @default "*"
   * @example "https://app.example"
   */
  origin?: string;
  /**
   * How long, in seconds, a browser may cache a preflight answer (`Access-Control-Max-Age`).
   * @default 86400
   * @example 600
   */
  maxAge?: number;
}

/**
 * The methods a read-only resource supports (RFC 9110 §9.1: GET and HEAD; OPTIONS describes
 * them): the `Allow` of a 405 and of an OPTIONS answer, and the methods a preflight allows.
 */
export const ALLOWED_METHODS = "GET, HEAD, OPTIONS";

// Request headers a cross-origin page may send for files; they make a preflight necessary.
const ALLOW_HEADERS = "Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, If-Range";
// With a password, the page sends it too. Fetch §3.2.3: a `*` in Allow-Headers never covers
// Authorization, so it is named, and only when there is something to authorise.
const ALLOW_HEADERS_WITH_AUTH = `Authorization, ${ALLOW_HEADERS}`;
// What a write sends besides (RFC 4918 §10; a PUT's type), when writes are on; and tus's (write/tus.ts).
const WRITE_HEADERS =
  ", Content-Type, Destination, Overwrite, Depth" +
  ", Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata, X-HTTP-Method-Override";
// Response headers a cross-origin script may read beyond the CORS-safelisted ones.
const EXPOSE_HEADERS = "Accept-Ranges, Content-Encoding, Content-Length, Content-Range, ETag, Last-Modified";
// With writes, what a tus client reads: where an upload is, how far it got, what the server offers.
const EXPOSE_WRITE_HEADERS =
  ", Location, Upload-Offset, Upload-Length, Upload-Metadata, Upload-Expires" +
  ", Tus-Resumable, Tus-Version, Tus-Extension, Tus-Max-Size";
const DEFAULT_MAX_AGE = 86400;

/** The CORS headers, settled at construction. */
export interface CorsHeaders {
  /** Headers every response carries. */
  common: [string, string][];
  /** Headers of a preflight answer. */
  preflight: [string, string][];
}

/**
 * The headers the `cors` option asks for, or `null` when it is off. Throws a TypeError on an
 * origin that cannot be a header value.
 *
 * @param option The handler's `cors` option.
 * @param auth Whether requests must authenticate: a preflight then allows `Authorization`.
 * @param writes The methods allowed when writes are on: a preflight then allows them, and the
 *   headers a write sends (WebDAV's `Destination`, `Overwrite`, `Depth`; `Content-Type`; tus's);
 *   a script may read the headers tus answers with.
 * @returns The common and preflight headers, or `null`.
 * @example
 * ```ts
 * corsHeaders({ origin: "https://app.example" })?.common; // allow-origin, expose-headers, vary
 * ```
 */
export function corsHeaders(
  option: boolean | CorsOptions | undefined,
  auth = false,
  writes?: string,
): CorsHeaders | null {
  if (!option) return null;
  const { origin = "*", maxAge = DEFAULT_MAX_AGE } = option === true ? {} : option;
  const common = [
    checkedHeader("access-control-allow-origin", origin),
    ["access-control-expose-headers", EXPOSE_HEADERS + (writes ? EXPOSE_WRITE_HEADERS : "")] as [string, string],
  ];
  // With one named origin, a cache must not give this answer to another origin.
  if (origin !== "*") common.push(["vary", "Origin"]);
  const preflight: [string, string][] = [
    ["access-control-allow-methods", writes ?? ALLOWED_METHODS],
    ["access-control-allow-headers", (auth ? ALLOW_HEADERS_WITH_AUTH : ALLOW_HEADERS) + (writes ? WRITE_HEADERS : "")],
    ["access-control-max-age", String(maxAge)],
  ];
  return { common, preflight };
}

/**
 * Whether `request` is a CORS preflight (Fetch standard §3.2.2): an OPTIONS with `Origin` and the
 * method to come. Browsers send it without credentials (§4.8), so it is answered before
 * authentication, and it says nothing about the files.
 *
 * @example
 * ```ts
 * if (preflight !== null && isPreflight(request)) return preflightReply(...);
 * ```
 */
export function isPreflight(request: Request): boolean {
  return (
    request.method === "OPTIONS" &&
    request.headers.has("origin") &&
    request.headers.has("access-control-request-method")
  );
}
