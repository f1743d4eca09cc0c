/**
 * The access log: Python's line (the core's `formatAccessLog`), Apache's Common and Combined
 * formats, JSON lines, and a short coloured line for a person at a terminal.
 *
 * Every request byte is escaped before it is written, so no request can forge a line or send
 * escape sequences to a terminal. The entry holds no credentials (no `Authorization`, no user),
 * so none can be logged.
 *
 * @module
 */
import { type AccessLogEntry, formatAccessLog } from "@simplehttp/core";
import { palette, statusPaint } from "./colour.js";

/** The formats `--log-format` names. */
export const LOG_FORMATS = ["python", "common", "combined", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
const utf8 = new TextEncoder();

/**
 * Escapes text for a quoted log field as Apache does (`ap_escape_logitem`): `"` and `\` get a
 * backslash, and every byte outside printable ASCII is written `\xhh`. The entry holds text (the
 * core decodes UTF-8 headers), so a character is written as its UTF-8 bytes: the bytes the client
 * sent, for a UTF-8 header. A header that was not UTF-8 stays one Latin-1 character a byte in the
 * entry, and is written as those characters' UTF-8 bytes (0xFF as `\xc3\xbf`).
 *
 * @example
 * ```ts
 * escapeLogText('a"b\n'); // 'a\\"b\\x0a'
 * escapeLogText("é");     // "\\xc3\\xa9"
 * ```
 */
export function escapeLogText(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else for (const byte of utf8.encode(char)) out += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** `[10/Oct/2000:13:55:36 -0700]`: Apache's `%t`, local time with its offset from UTC. */
export function apacheTime(time: Date): string {
  const offset = -time.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  const date = `${pad(time.getDate())}/${MONTHS[time.getMonth()]}/${time.getFullYear()}`;
  return `[${date}:${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())} ${zone}]`;
}

function requestLine(entry: AccessLogEntry): string {
  return escapeLogText(`${entry.method} ${entry.target} HTTP/${entry.httpVersion}`);
}

/**
 * Apache's Common Log Format, `%h %l %u %t "%r" %>s %b`: ident and user are always `-` (the log
 * never names who authenticated), and the size is `-` when unknown or nothing was sent, as `%b`.
 *
 * @example
 * ```ts
 * formatCommon(entry); // '127.0.0.1 - - [24/Nov/2026:12:00:00 +0100] "GET / HTTP/1.1" 200 1043'
 * ```
 */
export function formatCommon(entry: AccessLogEntry): string {
  const bytes = entry.bytes === undefined || entry.bytes === 0 ? "-" : String(entry.bytes);
  return (
    `${escapeLogText(entry.remoteAddress)} - - ${apacheTime(entry.time)} ` +
    `"${requestLine(entry)}" ${entry.status} ${bytes}`
  );
}

/** Apache's Combined Log Format: Common plus `"%{Referer}i" "%{User-Agent}i"` (`-` when not sent). */
export function formatCombined(entry: AccessLogEntry): string {
  const quoted = (value: string | undefined): string => (value === undefined ? '"-"' : `"${escapeLogText(value)}"`);
  return `${formatCommon(entry)} ${quoted(entry.referer)} ${quoted(entry.userAgent)}`;
}

/**
 * One JSON object a line, with Combined's fields plus the time to the response head: every key
 * on every line (`null` when unknown), the time in ISO 8601 UTC. JSON escapes quotes and control
 * characters, so a line cannot be split or forged.
 */
export function formatJson(entry: AccessLogEntry): string {
  return JSON.stringify({
    time: entry.time.toISOString(),
    remoteAddress: entry.remoteAddress,
    method: entry.method,
    target: entry.target,
    httpVersion: entry.httpVersion,
    status: entry.status,
    bytes: entry.bytes ?? null,
    referer: entry.referer ?? null,
    userAgent: entry.userAgent ?? null,
    durationMs: Math.round(entry.durationMs * 1000) / 1000,
  });
}

/** `0.4 ms`, `12 ms`: a tenth of a millisecond matters only below ten. */
export function formatDuration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/**
 * The line for a person at a terminal: `12:00:00 127.0.0.1 GET /a.txt 200 0.4 ms`, the request
 * and status in the colour of the status class, the time and duration dimmed.
 */
export function formatTerminal(entry: AccessLogEntry, colour: boolean): string {
  const paint = palette(colour);
  const t = entry.time;
  const clock = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const status = statusPaint(paint, entry.status);
  const request = `${escapeLogText(entry.method)} ${escapeLogText(entry.target)}`;
  return (
    `${paint.dim(clock)} ${escapeLogText(entry.remoteAddress)} ` +
    `${status(`${request} ${entry.status}`)} ${paint.dim(formatDuration(entry.durationMs))}`
  );
}

/**
 * The formatter of a run: the one asked for, else the terminal's line when stderr is a terminal
 * or colour is forced, else Python's line, as `python -m http.server` writes it.
 */
export function accessLogFormatter(
  format: LogFormat | undefined,
  terminal: boolean,
  colour: boolean,
): (entry: AccessLogEntry) => string {
  switch (format ?? (terminal || colour ? "terminal" : "python")) {
    case "common":
      return formatCommon;
    case "combined":
      return formatCombined;
    case "json":
      return formatJson;
    case "terminal":
      return (entry) => formatTerminal(entry, colour);
    default:
      return formatAccessLog;
  }
}
