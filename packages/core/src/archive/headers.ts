/**
 * What an archive answer says besides its bytes: the `Content-Disposition` that names the
 * download, and the page that refuses a folder too large to archive.
 *
 * @module
 */
import { escapeHtml } from "../http/html.js";
import { STATUS_TEXT } from "../http/status.js";

// RFC 8187 §3.2.1 attr-char: what `filename*` may carry unescaped.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;
const utf8 = new TextEncoder();

/**
 * `attachment` with the file name, per RFC 6266 §4: a quoted `filename` for every user agent,
 * and, when that cannot say the name exactly, `filename*` in RFC 8187's `UTF-8''` form, which
 * every current browser prefers (RFC 6266 §4.3, appendix D).
 *
 * The quoted fallback keeps printable ASCII, puts `_` for everything else (controls, which a
 * header cannot carry, and non-ASCII), and escapes `"` and `\` as a quoted-string does (RFC 9110
 * §5.6.4). A name that is not UTF-8 (bytes carried as lone surrogates, names.ts) has no UTF-8 to
 * give: each such byte is U+FFFD in `filename*`.
 *
 * @example
 * ```ts
 * contentDisposition("docs.zip"); // 'attachment; filename="docs.zip"'
 * contentDisposition("résumé.zip"); // `attachment; filename="r_sum_.zip"; filename*=UTF-8''r%C3%A9sum%C3%A9.zip`
 * ```
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/gu, "_").replace(/["\\]/g, "\\$&");
  // `%` too: some agents decode %XX in the plain parameter (RFC 6266 appendix D).
  if (fallback === filename && !filename.includes("%")) return `attachment; filename="${fallback}"`;
  let encoded = "";
  for (const char of filename.toWellFormed()) {
    if (ATTR_CHAR.test(char)) encoded += char;
    else for (const byte of utf8.encode(char)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** How far over a cap a tree is, for {@link tooLargePage}. */
export interface Excess {
  /** Entries found; `maxEntries + 1` when the walk stopped counting there. */
  entries: number;
  /** Bytes of the files found (of those walked, when the walk stopped). */
  bytes: number;
  /** Whether the walk saw the whole tree (false: it stopped past `maxEntries`). */
  complete: boolean;
  maxEntries: number;
  maxBytes: number;
}

/**
 * The HTML page refusing to archive a folder over the caps: what the folder holds, and the limit
 * it passes. Nothing from the request goes in, only numbers.
 *
 * @example
 * ```ts
 * tooLargePage(403, { entries: 10_001, bytes: 5e9, complete: false, maxEntries: 10_000, maxBytes: 2 ** 32 });
 * ```
 */
export function tooLargePage(status: number, excess: Excess): string {
  const { entries, bytes, complete, maxEntries, maxBytes } = excess;
  let why: string;
  if (!complete || entries > maxEntries) {
    why =
      `It holds more than ${count(maxEntries)} files and folders; ` +
      `an archive may hold at most ${count(maxEntries)}.`;
  } else {
    why =
      `Its ${count(entries)} files and folders add up to ${size(bytes)}; ` +
      `an archive may hold at most ${size(maxBytes)}.`;
  }
  const title = `${status} ${STATUS_TEXT[status] ?? "Error"}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${title}</title></head>`,
    `<body><h1>${title}</h1>`,
    `<p>This folder is too large to download as an archive. ${escapeHtml(why)}</p>`,
    "<p>Download its subfolders or files one by one instead.</p></body>",
    "</html>",
    "",
  ].join("\n");
}

/** 12345 → "12,345" (no Intl: not every edge runtime ships its locale data). */
function count(n: number): string {
  return n === Infinity ? "unlimited" : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Bytes in binary units, with the exact count: "5.0 GiB (5,368,709,120 bytes)". */
function size(bytes: number): string {
  if (bytes === Infinity) return "unlimited";
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${count(bytes)} bytes` : `${value.toFixed(1)} ${units[unit]} (${count(bytes)} bytes)`;
}
