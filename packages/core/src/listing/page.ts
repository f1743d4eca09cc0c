/**
 * The HTML directory listing: breadcrumbs, a sortable table (or a gallery), a filter, the
 * folder's README. It works without JavaScript: sorting and filtering are links and a form the
 * server answers; the script only filters as you type and shows times in the viewer's zone.
 *
 * @module
 */
import type { DirEntry } from "../fs/file-system.js";
import { encodeName } from "../fs/names.js";
import { escapeHtml } from "../http/html.js";
import { entryKind, isThumbnail, LISTING_CSS, LISTING_JS, ROWS_PER_GROUP } from "./assets.js";
import { type ListingQuery, listingHref, type SortKey } from "./query.js";
import {
  ACTIONS_HEADER,
  type PageWrites,
  ROW_ACTIONS,
  TILE_ACTIONS,
  uploadSection,
  WRITABLE_CSS,
  WRITABLE_JS,
} from "./upload.js";

/** An archive format the page may link, as `?download=` names it. */
export type DownloadFormat = "zip" | "tar";

/** What a listing page shows. */
export interface ListingPage {
  /** The mount prefix, without a trailing slash (`""` at the origin's root). */
  prefix: string;
  /** The directory's decoded segments under the root (`[]` for the root). */
  segments: readonly string[];
  /** The entries to show, filtered and sorted already. */
  entries: readonly DirEntry[];
  /** How many entries the folder has before the filter. */
  total: number;
  query: ListingQuery;
  /** The README's rendered HTML (trusted: sanitised by its renderer), or a note, or nothing. */
  readme: { name: string; html: string } | null;
  /** The archive formats the folder is offered in (none when downloads are off or it is too large). */
  downloads: readonly DownloadFormat[];
  /** What the page lets a visitor write (upload.ts), or `null` on a read-only server. */
  write: PageWrites | null;
}

const COLUMNS: readonly [SortKey, string][] = [
  ["name", "Name"],
  ["size", "Size"],
  ["mtime", "Modified"],
];

/** Rows per chunk of a streamed page: small enough to interleave with other requests. */
const ROWS_PER_CHUNK = 256;

/**
 * Renders the page as it is sent: its head, its rows a few hundred at a time, its end. Every
 * name is HTML-escaped and linked by its percent-encoded bytes (`encodeName`), relative to the
 * directory, whose URL always ends with `/`. A large folder's page is never one string: each
 * chunk is made when the body is read, so memory holds one chunk of it, not the page.
 *
 * @example
 * ```ts
 * const page = { prefix: "", segments: ["docs"], entries, total: entries.length, query };
 * const html = [...listingPage({ ...page, readme: null, downloads: [], write: null })].join("");
 * ```
 */
export function* listingPage(page: ListingPage): Generator<string, void, undefined> {
  const { prefix, segments, entries, query, write } = page;
  const title = `${prefix}/${segments.map((segment) => `${segment}/`).join("")}`;
  const time = minuteFormatter();
  const grid = query.view === "grid";
  const form =
    '<form role="search" method="get"><label for="q" class="muted">Filter</label>' +
    `<input id="q" name="q" type="search" value="${escapeHtml(query.q)}" autocomplete="off">` +
    `${hidden(query)}<button type="submit">Filter</button></form>`;
  // No `download` attribute: with it, a browser saves whatever answers, the 403 page of a tree
  // over the caps too (as a file it then cancels); without it, an archive still downloads (its
  // Content-Disposition says attachment) and a refusal shows as the page that explains it.
  const downloads = page.downloads.map((format) => ` <a href="?download=${format}">Download .${format}</a>`).join("");
  const shown = entries.length === page.total ? "" : `${entries.length} of ${page.total} shown`;
  const view = `<a id="view" href="${escapeHtml(listingHref(query, { view: grid ? "list" : "grid" }))}">`;
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Directory listing for ${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${write ? WRITABLE_CSS : LISTING_CSS}</style>
</head>
<body>
<a class="skip" href="#list">Skip to the list</a>
<header>
${breadcrumbs(prefix, segments)}
<h1>Directory listing for ${escapeHtml(title)}</h1>
<div class="bar">
${form}
${view}${grid ? "List view" : "Gallery view"}</a>${downloads}
<span id="shown" class="muted" aria-live="polite">${shown}</span>
</div>
</header>
${write ? uploadSection(write, formatSize(write.maxUploadSize)) : ""}<main id="list" tabindex="-1">
${listStart(grid, segments.length > 0, query, write?.delete === true)}`;
  // Rename and delete need the delete switch (a rename replaces nothing, but removes the old name).
  const actions = write?.delete ? (grid ? TILE_ACTIONS : ROW_ACTIONS) : "";
  const row = grid ? (entry: DirEntry) => tile(entry, actions) : (entry: DirEntry) => tableRow(entry, time, actions);
  // The table's rows come in groups (a <tbody> each, the end tags implied), which the browser lays
  // out only near the viewport (LISTING_CSS): a large folder's page then costs what its first
  // screens cost. ROWS_PER_CHUNK is a multiple of ROWS_PER_GROUP, so a group starts a chunk.
  const group = grid ? "" : "<tbody>\n";
  for (let from = 0; from < entries.length; from += ROWS_PER_CHUNK) {
    let chunk = "";
    const to = Math.min(from + ROWS_PER_CHUNK, entries.length);
    for (let i = from; i < to; i++) {
      if (i > 0 && i % ROWS_PER_GROUP === 0) chunk += group;
      chunk += row(entries[i] as DirEntry);
    }
    yield chunk;
  }
  let end = grid ? `</ul>\n` : `</tbody>\n</table>\n`;
  if (entries.length === 0)
    end += `<p class="muted">${page.total === 0 ? "This folder is empty." : "No names match the filter."}</p>\n`;
  if (page.readme)
    end += `<section class="readme" aria-label="${escapeHtml(page.readme.name)}">\n${page.readme.html}\n</section>\n`;
  yield `${end}</main>\n<script>${write ? WRITABLE_JS : LISTING_JS}</script>\n</body>\n</html>\n`;
}

/**
 * The list's start: the gallery's or the table's, with its column headers (and one over the rows'
 * buttons, when they have some), and the parent's row.
 */
function listStart(grid: boolean, parent: boolean, query: ListingQuery, actions: boolean): string {
  if (grid)
    return `<ul class="grid">\n${parent ? `<li><a href="../"><i class=k-folder></i><span>../</span></a>\n` : ""}`;
  return (
    `<table class="files">\n<thead><tr>${COLUMNS.map(([key, label]) => header(query, key, label)).join("")}` +
    `${actions ? ACTIONS_HEADER : ""}</tr></thead>\n<tbody>\n` +
    (parent ? `<tr><td class=k-folder><a href="../">../</a><td><td>\n` : "")
  );
}

// Rows are the bulk of a large page, so they are written as HTML allows at its shortest: attribute
// values without quotes where they hold no space or quote, and no `</td>`, `</tr>` or `</li>` (an
// end tag HTML implies, §13.1.2.4). About 160 bytes a row beyond its name, made and sent faster.

/** One entry as a table row: icon and link, size (exact bytes in the title), time, and `actions`. */
function tableRow({ name, stat }: DirEntry, time: (ms: number) => string, actions: string): string {
  const directory = stat?.kind === "directory";
  const href = escapeHtml(encodeName(name) + (directory ? "/" : ""));
  const size =
    stat && !directory ? `<td title="${stat.size} byte${stat.size === 1 ? "" : "s"}">${formatSize(stat.size)}` : "<td>";
  const modified = stat?.mtimeMs === undefined ? "<td>" : `<td>${time(stat.mtimeMs)}`;
  return (
    `<tr class=e><td class=k-${entryKind(name, directory)}><a href="${href}">` +
    `${escapeHtml(name + (directory ? "/" : ""))}</a>${size}${modified}${actions}\n`
  );
}

/**
 * One entry as a gallery tile: an image is its own thumbnail, anything else its icon. A thumbnail
 * is the image itself, which the server does not scale: so it loads only near the viewport
 * (`loading=lazy`), decodes off the main thread (`decoding=async`), and fills a box of a fixed
 * height (LISTING_CSS) that is there before it loads, so the page does not move. The name is
 * clipped to two lines (a long one would stretch its row), so the link's title holds it. `actions`
 * follow the link.
 */
function tile({ name, stat }: DirEntry, actions: string): string {
  const directory = stat?.kind === "directory";
  const href = escapeHtml(encodeName(name) + (directory ? "/" : ""));
  const picture =
    !directory && isThumbnail(name)
      ? `<img src="${href}" alt="" loading=lazy decoding=async>`
      : `<i class=k-${entryKind(name, directory)}></i>`;
  const label = escapeHtml(name + (directory ? "/" : ""));
  return `<li class=e><a href="${href}" title="${label}">${picture}<span>${label}</span></a>${actions}\n`;
}

/** The path as links, each to its folder (from the mount point); the last, the page itself, is not. */
function breadcrumbs(prefix: string, segments: readonly string[]): string {
  let href = `${prefix}/`;
  const root = escapeHtml(prefix === "" ? "/" : prefix);
  const crumbs = [
    segments.length === 0
      ? `<li aria-current="page">${root}</li>`
      : `<li><a href="${escapeHtml(href)}">${root}</a></li>`,
  ];
  segments.forEach((segment, i) => {
    href += `${encodeName(segment)}/`;
    crumbs.push(
      i === segments.length - 1
        ? `<li aria-current="page">${escapeHtml(segment)}</li>`
        : `<li><a href="${escapeHtml(href)}">${escapeHtml(segment)}</a></li>`,
    );
  });
  return `<nav aria-label="Breadcrumb"><ol>${crumbs.join("")}</ol></nav>`;
}

/** A column header: a link that sorts by it, reversing the order when it is the current one. */
function header(query: ListingQuery, key: SortKey, label: string): string {
  const current = query.sort === key;
  const order = current && query.order === "asc" ? "desc" : "asc";
  const sort = current ? ` aria-sort="${query.order === "asc" ? "ascending" : "descending"}"` : "";
  // Entities, so the page stays ASCII (see LISTING_CSS): ▲ and ▼.
  const arrow = current ? (query.order === "asc" ? " &#9650;" : " &#9660;") : "";
  return (
    `<th scope="col"${sort}><a href="${escapeHtml(listingHref(query, { sort: key, order }))}">` +
    `${label}${arrow}</a></th>`
  );
}

/** The form's hidden fields: a filter keeps the order and view chosen. */
function hidden(query: ListingQuery): string {
  let fields = "";
  if (query.sort !== "name") fields += `<input type="hidden" name="sort" value="${query.sort}">`;
  if (query.order !== "asc") fields += `<input type="hidden" name="order" value="${query.order}">`;
  if (query.view !== "list") fields += `<input type="hidden" name="view" value="${query.view}">`;
  return fields;
}

/**
 * Formats times to the minute as `<time datetime="2026-11-25T16:24Z">2026-11-25 16:24</time>`
 * (UTC). Files in one directory were often written together, so the last minute formatted is
 * kept: a large listing formats few dates.
 */
function minuteFormatter(): (ms: number) => string {
  let minute = Number.NaN;
  let text = "";
  return (ms) => {
    const at = Math.floor(ms / 60_000);
    if (at !== minute) {
      minute = at;
      const iso = new Date(at * 60_000).toISOString().slice(0, 16);
      text = `<time datetime=${iso}Z>${iso.replace("T", " ")}</time>`;
    }
    return text;
  };
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** `512 B`, `1.5 KiB`, `20 MiB`. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
