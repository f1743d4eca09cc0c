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
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Formats an entry like Python's `http.server` (`BaseHTTPRequestHandler.log_request`), local time:
 * `127.0.0.1 - - [24/Nov/2026 12:00:00] "GET / HTTP/1.1" 200 -`. Control characters in the target
 * are escaped (as Python 3.12 does) so a request cannot forge log lines.
 */
export function formatAccessLog(entry: AccessLogEntry): string {
  const t = entry.time;
  const date = `${pad(t.getDate())}/${MONTHS[t.getMonth()]}/${t.getFullYear()} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const requestLine = `${entry.method} ${entry.target} HTTP/${entry.httpVersion}`.replace(
    /[\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return `${entry.remoteAddress} - - [${date}] "${requestLine}" ${entry.status} -`;
}
