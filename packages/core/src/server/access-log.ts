/**
 * The access log line, in the seed's format, shared by every adapter and the CLI.
 *
 * @module
 */

/** What an adapter knows of a request once it has been answered. */
export interface AccessLogEntry {
  /** The client's address, as the socket reports it. */
  remoteAddress: string;
  method: string;
  /** The request target exactly as sent (path and query), not normalised. */
  target: string;
  /** `"1.1"`, `"2.0"`, … */
  httpVersion: string;
  status: number;
  /** When the request was answered. */
  time: Date;
  /** Milliseconds from the request's arrival to its response head. */
  durationMs: number;
  /** The length of the body sent, when the response said it (`Content-Length`); 0 for a HEAD or 304. */
  bytes?: number | undefined;
  /** The `Referer` header, when sent. */
  referer?: string | undefined;
  /** The `User-Agent` header, when sent. */
  userAgent?: string | undefined;
}

/**
 * A client's address as the client knows it: an IPv4 client of a dual-stack socket is reported
 * as `::ffff:127.0.0.1` (RFC 4291 §2.5.5.2), and is `127.0.0.1`.
 *
 * @example
 * ```ts
 * clientAddress("::ffff:192.0.2.7"); // "192.0.2.7"
 * ```
 */
export function clientAddress(address: string | undefined): string {
  if (address === undefined || address === "") return "-";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * The access-log fields an adapter takes from a request's headers and its response's.
 *
 * @example
 * ```ts
 * onRequest({
 *   remoteAddress,
 *   method,
 *   target,
 *   httpVersion,
 *   status,
 *   time: new Date(),
 *   durationMs,
 *   ...logFields(request.headers, response.headers, method, status),
 * });
 * ```
 */
export function logFields(
  requestHeaders: { get(name: string): string | null },
  responseLength: string | number | null | undefined,
  method: string,
  status: number,
): Pick<AccessLogEntry, "bytes" | "referer" | "userAgent"> {
  const length = responseLength === null || responseLength === undefined ? undefined : Number(responseLength);
  const referer = requestHeaders.get("referer");
  const userAgent = requestHeaders.get("user-agent");
  return {
    // RFC 9110 §9.3.2, §15.4.5: a HEAD and a 304 send no body, whatever length they announce.
    bytes: method === "HEAD" || status === 304 || status === 204 ? 0 : length,
    referer: referer === null ? undefined : headerText(referer),
    userAgent: userAgent === null ? undefined : headerText(userAgent),
  };
}

// Fatal, to tell UTF-8 from what is not; a leading BOM is part of the value, not eaten.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A header value as text. Runtimes hand a field's bytes over as Latin-1, one character a byte
 * (the Fetch Standard's ByteString), so a UTF-8 `é` arrives as `Ã©`. Bytes that are valid UTF-8
 * are decoded; any other value is kept as it came (RFC 9110 §5.5: other octets are opaque data).
 *
 * @example
 * ```ts
 * headerText("agent Ã©"); // "agent é"
 * headerText("x\xe9");    // "x\xe9" (a lone 0xE9 is not UTF-8)
 * ```
 */
export function headerText(value: string): string {
  // Only ASCII, nothing to decode; a character above U+00FF, already text.
  if (!/[\x80-\xff]/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  try {
    return UTF8.decode(Uint8Array.from(value, (char) => char.charCodeAt(0)));
  } catch {
    return value;
  }
}

/** What an adapter knows of one exchange, for {@link accessLogEntry}. */
export interface Exchange {
  /** The client's address as the socket reports it (see {@link clientAddress}). */
  remoteAddress: string | undefined;
  method: string;
  /** The request target exactly as sent. */
  target: string;
  /** `"1.1"`, `"2.0"`, … */
  httpVersion: string;
  /** The request's headers, for Referer and User-Agent. */
  requestHeaders: { get(name: string): string | null };
  status: number;
  /** The response's Content-Length, when it had one. */
  responseLength: string | number | null | undefined;
  /** `performance.now()` when the request arrived. */
  arrived: number;
  /** `performance.now()` when the response head was decided; unset, now. */
  answered?: number | undefined;
}

/**
 * The access-log entry of an answered exchange: the address as the client knows it, the time now,
 * the duration from arrival to the response head, and the fields {@link logFields} takes.
 *
 * @example
 * ```ts
 * const arrived = performance.now();
 * const response = await handler(request);
 * onRequest(accessLogEntry({ remoteAddress, method: request.method, target, httpVersion: "1.1",
 *   requestHeaders: request.headers, status: response.status,
 *   responseLength: response.headers.get("content-length"), arrived }));
 * ```
 */
export function accessLogEntry(exchange: Exchange): AccessLogEntry {
  const { method, status } = exchange;
  return {
    remoteAddress: clientAddress(exchange.remoteAddress),
    method,
    target: exchange.target,
    httpVersion: exchange.httpVersion,
    status,
    time: new Date(),
    durationMs: (exchange.answered ?? performance.now()) - exchange.arrived,
    ...logFields(exchange.requestHeaders, exchange.responseLength, method, status),
  };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Formats an entry like Python's `http.server` (`BaseHTTPRequestHandler.log_request`), local time:
 * `127.0.0.1 - - [24/Nov/2026 12:00:00] "GET / HTTP/1.1" 200 -`. Escaped as Python 3.12's
 * `log_message` escapes (its `_control_char_table`): C0 and C1 controls and DEL as `\xhh`, so a
 * request cannot forge log lines, and a backslash doubled, so an escape in the log is never one
 * the client sent.
 */
export function formatAccessLog(entry: AccessLogEntry): string {
  const t = entry.time;
  const date =
    `${pad(t.getDate())}/${MONTHS[t.getMonth()]}/${t.getFullYear()} ` +
    `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const requestLine = `${entry.method} ${entry.target} HTTP/${entry.httpVersion}`.replace(
    /[\x00-\x1f\x7f-\x9f\\]/g,
    (c) => (c === "\\" ? "\\\\" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`),
  );
  return `${entry.remoteAddress} - - [${date}] "${requestLine}" ${entry.status} -`;
}
