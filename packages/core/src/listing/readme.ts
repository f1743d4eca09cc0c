/**
 * A folder's README, rendered from Markdown into an HTML fragment for the listing page.
 *
 * `marked` parses (CommonMark with GitHub's tables, task lists, strikethrough and autolinks) and
 * writes the HTML, with raw HTML dropped. Its output then goes through an allow-list that
 * writes the fragment anew: only the elements and attributes Markdown produces, URLs limited to
 * http, https, mailto and relative ones, every value escaped again. Whatever the parser lets
 * through, the fragment carries no script, no event handler, no id and no element outside the
 * list; the page's Content-Security-Policy is a second line, not the first. `docs/readme-rendering.md`
 * has the comparison with micromark behind the choice.
 *
 * Markdown parsers take more than linear time on some inputs (thousands of emphasis delimiters
 * in one paragraph, lists nested hundreds deep), and a README is whatever the served folder
 * holds, so the work is bounded before the expensive passes: by size, by a scan of the lines'
 * nesting, and by counting delimiters in what marked's block pass hands to its inline pass.
 *
 * @module
 */
import { Lexer, Marked } from "marked";
import { escapeHtml } from "../http/html.js";

/**
 * The largest README rendered, in bytes of the file. The caller checks the file's size against it
 * before reading (a larger README gets a short note instead); {@link renderReadme} checks the
 * decoded text again, which is never longer than its UTF-8 bytes.
 */
export const README_MAX_BYTES = 256 * 1024;

/**
 * Renders a README's Markdown as an HTML fragment that is safe to put in the page as it is.
 * Relative links and images stay relative, so they resolve against the listing's URL (the
 * folder, ending in `/`) as they do on GitHub. Headings get no ids.
 *
 * Answers `null` when it renders nothing: text longer than {@link README_MAX_BYTES}, or shaped
 * to make the parser work far more than its length says (see the module notes).
 *
 * @example
 * ```ts
 * renderReadme("# Docs\n\nSee [the guide](guide.md). <script>alert(1)</script>");
 * // "<h1>Docs</h1>\n<p>See <a href=\"guide.md\">the guide</a>. alert(1)</p>\n"
 * renderReadme("[x](javascript:alert(1))"); // "<p><a>x</a></p>\n"
 * renderReadme("*a_".repeat(10_000)); // null
 * ```
 */
export function renderReadme(markdown: string): string | null {
  if (markdown.length > README_MAX_BYTES) return null;
  // marked ends lines at CR too: the bounds must see the lines it will.
  const text = markdown.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (tooDeep(text)) return null;
  try {
    return tooManyDelimiters(text) ? null : allowListed(parser.parse(text, { async: false }));
  } catch {
    // marked throws on some inputs (a TypeError on odd nestings of quotes and lists, found by
    // fuzzing): render nothing rather than fail the listing.
    return null;
  }
}

// One instance of our own: `marked.use()` elsewhere changes the shared one, never this.
const parser = new Marked({
  gfm: true,
  // Raw HTML is left out altogether: escaped, it would show README authors' `<!-- comments -->`
  // and `<p align="center">` wrappers as text; rendered, it would need a real HTML sanitiser.
  renderer: { html: () => "" },
});

// --- Bounding the work -------------------------------------------------------------------------

/** Containers (`>` and list markers) one line may open before its text; READMEs nest a handful. */
const MAX_NESTING = 16;
/** Columns of indentation before a container marker: deeper than any README nests by hand. */
const MAX_MARKER_COLUMN = 64;
/** List items in all: each costs marked a few microseconds, and a long README has a few thousand. */
const MAX_LIST_ITEMS = 20_000;
/**
 * The sum, over the paragraphs, headings and table cells, of the square of the `*`, `_` and `~`
 * each holds. Pairing emphasis delimiters within one costs marked up to the square of their
 * number; this caps that cost (measured: `docs/readme-rendering.md`), while READMEs stay a
 * thousand times below it.
 */
const MAX_DELIMITER_WORK = 8_000_000;

/**
 * Whether pairing emphasis delimiters would cost too much. marked's block pass, which is cheap
 * once nesting is bounded, queues the text of every paragraph, heading and table cell for the
 * inline pass; counting there sees exactly the runs of text marked will pair delimiters in,
 * where a scan of the lines would have to guess at how marked ends a paragraph.
 */
function tooManyDelimiters(markdown: string): boolean {
  const lexer = new Lexer({ gfm: true });
  lexer.blockTokens(markdown);
  let work = 0;
  for (const { src } of lexer.inlineQueue) {
    let delimiters = 0;
    for (let i = 0; i < src.length; i++) {
      const c = src.charCodeAt(i);
      if (c === 0x2a || c === 0x5f || c === 0x7e) delimiters++;
    }
    work += delimiters * delimiters;
  }
  return work > MAX_DELIMITER_WORK;
}

/**
 * Whether a line opens more containers than {@link MAX_NESTING} or opens one deeper than
 * {@link MAX_MARKER_COLUMN}, or the lines open more than {@link MAX_LIST_ITEMS} list items: the
 * shapes on which marked's block pass takes more than linear time, or runs out of stack. One pass
 * over the lines, reading only the markers at their start.
 */
function tooDeep(markdown: string): boolean {
  let items = 0;
  for (let start = 0; start <= markdown.length; ) {
    let end = markdown.indexOf("\n", start);
    if (end === -1) end = markdown.length;
    let column = 0;
    let containers = 0;
    let deep = false;
    let i = start;
    while (i < end) {
      const c = markdown.charCodeAt(i);
      if (c === 0x20 || c === 0x09) {
        column = c === 0x20 ? column + 1 : column + 4 - (column % 4);
        i++;
        continue;
      }
      const length = markerLength(markdown, i, end);
      if (length === 0) break;
      if (++containers > MAX_NESTING || column > MAX_MARKER_COLUMN) deep = true;
      if (c !== 0x3e && ++items > MAX_LIST_ITEMS) return true;
      i += length;
      column += length;
    }
    // A line of markers alone (`- - - - -`, `* * *`) is a rule or empty items: nothing nests in it.
    if (deep && i < end) return true;
    start = end + 1;
  }
  return false;
}

/** The length of the container marker at `i`: `>`, or a list marker then a space, a tab or the line's end; else 0. */
function markerLength(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x3e) return 1;
  let length = 0;
  if (c === 0x2d || c === 0x2b || c === 0x2a) length = 1;
  else {
    while (length < 9 && isDigit(text.charCodeAt(i + length))) length++;
    const after = text.charCodeAt(i + length);
    if (length === 0 || (after !== 0x2e && after !== 0x29)) return 0;
    length++;
  }
  const next = text.charCodeAt(i + length);
  return i + length === end || next === 0x20 || next === 0x09 ? length : 0;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

// --- The allow-list ----------------------------------------------------------------------------

/** Elements Markdown produces, and nothing else. */
const ELEMENTS = new Set([
  ...["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong", "del", "a"],
  ...["ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "img", "input"],
]);
const VOID = new Set(["hr", "br", "img", "input"]);

// A start or end tag as marked writes them: every value double-quoted and escaped.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"]*")?)*)\s*\/?>/y;
const ATTRIBUTE = /\s+([a-zA-Z][a-zA-Z0-9-]*)(?:="([^"]*)")?/g;

/**
 * Writes `html` anew through the allow-list: allowed tags with their allowed attributes (values
 * decoded, checked, escaped again), other tags dropped, any other `<` escaped, and every element
 * closed in order, so the fragment cannot close or reopen anything of the page around it. The
 * browser reads back exactly what was checked, since nothing is left for it to decode differently.
 * Exported so its tests can feed it what no Markdown parser should ever write; callers want
 * {@link renderReadme}.
 *
 * @example
 * ```ts
 * allowListed('<p onclick="x()">hi <script>alert(1)</script><a href="javascript:x">a</a>');
 * // "<p>hi alert(1)<a>a</a></p>"
 * ```
 */
export function allowListed(html: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let i = 0;
  for (let lt = html.indexOf("<"); lt !== -1; lt = html.indexOf("<", i)) {
    out.push(html.slice(i, lt).replace(/>/g, "&gt;"));
    TAG.lastIndex = lt;
    const tag = TAG.exec(html);
    if (tag === null) {
      out.push("&lt;");
      i = lt + 1;
      continue;
    }
    i = TAG.lastIndex;
    const name = (tag[2] ?? "").toLowerCase();
    if (!ELEMENTS.has(name)) continue;
    if (tag[1] === "/") {
      const at = open.lastIndexOf(name);
      if (at !== -1) for (const closed of open.splice(at).reverse()) out.push(`</${closed}>`);
      continue;
    }
    const attributes = allowedAttributes(name, tag[3] ?? "");
    if (attributes === null) continue;
    out.push(`<${name}${attributes}>`);
    if (!VOID.has(name)) open.push(name);
  }
  out.push(html.slice(i).replace(/>/g, "&gt;"));
  for (const closed of open.reverse()) out.push(`</${closed}>`);
  return out.join("");
}

/** The attributes kept for an element, serialised, or `null` to drop the element itself. */
function allowedAttributes(name: string, source: string): string | null {
  const given = new Map<string, string>();
  for (const [, key, value] of source.matchAll(ATTRIBUTE)) given.set((key ?? "").toLowerCase(), decode(value ?? ""));
  const kept: string[] = [];
  const keep = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) kept.push(` ${key}="${escapeHtml(value)}"`);
  };
  switch (name) {
    case "a":
      keep("href", safeUrl(given.get("href"), LINK_SCHEMES));
      keep("title", given.get("title"));
      break;
    case "img":
      keep("src", safeUrl(given.get("src"), IMAGE_SCHEMES));
      keep("alt", given.get("alt"));
      keep("title", given.get("title"));
      break;
    case "input":
      // Only a task list's checkbox, and never one the reader can tick; named for screen readers
      // (a checkbox without a label is an accessibility failure, axe's "label" rule).
      if (given.get("type")?.toLowerCase() !== "checkbox") return null;
      return given.has("checked")
        ? ` type="checkbox" disabled checked aria-label="done"`
        : ` type="checkbox" disabled aria-label="to do"`;
    case "code":
      keep("class", /^language-[^\s]+$/.exec(given.get("class") ?? "")?.[0]);
      break;
    case "ol":
      keep("start", /^\d{1,9}$/.exec(given.get("start") ?? "")?.[0]);
      break;
    case "th":
    case "td":
      keep("align", /^(?:left|center|right)$/.exec(given.get("align") ?? "")?.[0]);
      break;
  }
  return kept.join("");
}

const LINK_SCHEMES = new Set(["http", "https", "mailto"]);
const IMAGE_SCHEMES = new Set(["http", "https"]);

/**
 * `url` if it is relative or of one of `schemes`, else `null`. Spaces and control characters are
 * percent-encoded first: a browser drops tabs and newlines from a URL (`java\tscript:`), so the
 * scheme is read from the very string that is written out.
 *
 * @example
 * ```ts
 * safeUrl("guide.md", LINK_SCHEMES); // "guide.md"
 * safeUrl("java\tscript:alert(1)", LINK_SCHEMES); // "java%09script:alert(1)", relative and harmless
 * safeUrl("JavaScript:alert(1)", LINK_SCHEMES); // null
 * ```
 */
function safeUrl(url: string | undefined, schemes: ReadonlySet<string>): string | null {
  if (url === undefined || url === "") return null;
  const encoded = url.replace(
    /[\x00-\x20\x7f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`,
  );
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(encoded)?.[1];
  return scheme === undefined || schemes.has(scheme.toLowerCase()) ? encoded : null;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * Decodes the character references marked writes in attribute values. Any other reference stays
 * as its text, and is escaped on the way out, so it reaches the browser as `&amp;…`: it can only
 * ever mean itself.
 */
function decode(value: string): string {
  return value.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g,
    (_: string, dec?: string, hex?: string, name?: string) => {
      if (name !== undefined) return NAMED[name] ?? "";
      const code = dec !== undefined ? Number(dec) : parseInt(hex ?? "", 16);
      const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
      return valid ? String.fromCodePoint(code) : "\uFFFD";
    },
  );
}
