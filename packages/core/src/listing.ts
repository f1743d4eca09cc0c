/**
 * The HTML directory listing.
 *
 * @module
 */
import type { DirEntry } from "./fs.js";
import { escapeHtml } from "./html.js";
import { encodeName } from "./names.js";

/** Directories first, then by name in code-point order: the same order on every machine and locale. */
export function sortEntries(entries: DirEntry[]): DirEntry[] {
  return entries.sort((a, b) => {
    const aDir = a.stat?.kind === "directory";
    const bDir = b.stat?.kind === "directory";
    if (aDir !== bDir) return aDir ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/**
 * Renders a listing page. `title` is the directory's decoded URL path (shown, escaped);
 * `entries` are already filtered and sorted. Each link is relative to the directory (whose URL
 * always ends with `/`): the name percent-encoded with `encodeName`, so `#`, `?`, `%`, `;`, `:`
 * and bytes that are not UTF-8 stay part of the name, and HTML-escaped on top.
 *
 * @example
 * ```ts
 * renderListing("/docs/", [{ name: "a b#1.txt", stat: { kind: "file", size: 3, mtimeMs: 0 } }], true);
 * // … <a href="a%20b%231.txt">a b#1.txt</a> …
 * ```
 */
export function renderListing(title: string, entries: DirEntry[], hasParent: boolean): string {
  const rows: string[] = [];
  if (hasParent) rows.push(`<tr><td><a href="../">../</a></td><td></td><td></td></tr>`);
  const time = minuteFormatter();
  for (const { name, stat } of entries) {
    const isDir = stat?.kind === "directory";
    const href = escapeHtml(encodeName(name) + (isDir ? "/" : ""));
    const label = escapeHtml(name + (isDir ? "/" : ""));
    const modified = stat ? time(stat.mtimeMs) : "";
    const size = stat && !isDir ? formatSize(stat.size) : "";
    rows.push(`<tr><td><a href="${href}">${label}</a></td><td>${modified}</td><td>${size}</td></tr>`);
  }
  const heading = `Directory listing for ${escapeHtml(title)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${heading}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.2em 1.5em .2em 0;text-align:left}td:nth-child(3){text-align:right;white-space:nowrap}</style>
</head>
<body>
<h1>${heading}</h1>
<hr>
<table>
<thead><tr><th>Name</th><th>Last modified</th><th>Size</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
<hr>
</body>
</html>
`;
}

/** `2026-11-24 12:00` in UTC: readable, sortable and the same wherever the server runs. */
/**
 * Formats times to the minute (`2026-11-25 16:24`, UTC). Files in one directory were often written
 * together, so the last minute formatted is kept: a large listing formats few dates.
 */
function minuteFormatter(): (ms: number) => string {
  let minute = Number.NaN;
  let text = "";
  return (ms) => {
    const at = Math.floor(ms / 60_000);
    if (at !== minute) {
      minute = at;
      text = new Date(at * 60_000).toISOString().slice(0, 16).replace("T", " ");
    }
    return text;
  };
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** `512 B`, `1.5 KiB`, `20 MiB`. */
function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
