/**
 * A folder's README, rendered from Markdown into an HTML fragment for the listing page.
 *
 * `marked` parses (CommonMark with GitHub's tables, task lists, strikethrough and autolinks) and
 * writes the HTML, with raw HTML dropped. Its output then goes through an allow-list
 * (readme-html.ts) that writes the fragment anew: only the elements and attributes Markdown
 * produces, URLs limited to http, https, mailto and relative ones, every value escaped again.
 * Whatever the parser lets through, the fragment carries no script, no event handler, no id and no
 * element outside the list; the page's Content-Security-Policy is a second line, not the first.
 * `docs/readme-rendering.md` has the comparison with micromark behind the choice.
 *
 * Markdown parsers take more than linear time on some inputs (thousands of emphasis delimiters
 * in one paragraph, lists nested hundreds deep), and a README is whatever the served folder
 * holds, so the work is bounded before the expensive passes: by size, by a scan of the lines'
 * nesting, and by counting delimiters in what marked's block pass hands to its inline pass.
 *
 * @module
 */
import { Lexer, Marked } from "marked";
import { allowListed } from "./readme-html.js";

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
 * renderReadme("[x](javascript:alert(1))"); // "<p>x</p>\n"
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
