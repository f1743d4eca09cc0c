/**
 * The allow-list a rendered README goes through (readme.ts renders it): the HTML is written anew,
 * with only the elements and attributes Markdown produces, URLs of safe schemes, every value
 * escaped again. What the list refuses is left out as markup but kept as text where a reader
 * would miss it: a link whose URL is refused is its text, an image whose source is refused is its
 * alternative text.
 *
 * @module
 */
import { escapeHtml } from "../http/html.js";

/** Elements Markdown produces, and nothing else. */
const ELEMENTS = new Set([
  ...["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong", "del", "a"],
  ...["ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "img", "input"],
]);
const VOID = new Set(["hr", "br", "img", "input"]);

// A start or end tag as marked writes them: every value double-quoted and escaped.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z][a-zA-Z0-9-]*(?:="[^"]*")?)*)\s*\/?>/y;
const ATTRIBUTE = /\s+([a-zA-Z][a-zA-Z0-9-]*)(?:="([^"]*)")?/g;

/** An element open in the output; `written` is false for one left out whose content is kept. */
interface Open {
  name: string;
  written: boolean;
}

/**
 * Writes `html` anew through the allow-list: allowed tags with their allowed attributes (values
 * decoded, checked, escaped again), other tags dropped, any other `<` escaped, and every element
 * closed in order, so the fragment cannot close or reopen anything of the page around it. The
 * browser reads back exactly what was checked, since nothing is left for it to decode differently.
 * A link without a safe URL becomes its text (it would look like a link and do nothing), an image
 * without a safe source its alternative text (it would show as a broken image).
 *
 * @example
 * ```ts
 * allowListed('<p onclick="x()">hi <script>alert(1)</script><a href="javascript:x">a</a></p>');
 * // "<p>hi alert(1)a</p>"
 * ```
 */
export function allowListed(html: string): string {
  const out: string[] = [];
  const open: Open[] = [];
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
      const at = open.map((element) => element.name).lastIndexOf(name);
      if (at !== -1) for (const closed of open.splice(at).reverse()) if (closed.written) out.push(`</${closed.name}>`);
      continue;
    }
    const written = startTag(name, attributesOf(tag[3] ?? ""));
    out.push(written ?? "");
    if (!VOID.has(name)) open.push({ name, written: written !== null });
  }
  out.push(html.slice(i).replace(/>/g, "&gt;"));
  for (const closed of open.reverse()) if (closed.written) out.push(`</${closed.name}>`);
  return out.join("");
}

/** The attributes of a tag, by lower-cased name (the first of each), their values decoded. */
function attributesOf(source: string): Map<string, string> {
  const given = new Map<string, string>();
  for (const [, key = "", value = ""] of source.matchAll(ATTRIBUTE)) {
    if (!given.has(key.toLowerCase())) given.set(key.toLowerCase(), decode(value));
  }
  return given;
}

/**
 * What is written for an allowed start tag: the tag with its allowed attributes, or text in its
 * place (an image's alternative text), or `null` for nothing (the element's content is kept).
 */
function startTag(name: string, given: ReadonlyMap<string, string>): string | null {
  const kept: string[] = [];
  const keep = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) kept.push(` ${key}="${escapeHtml(value)}"`);
  };
  switch (name) {
    case "a": {
      const href = safeUrl(given.get("href"), LINK_SCHEMES);
      if (href === null) return null;
      keep("href", href);
      keep("title", given.get("title"));
      break;
    }
    case "img": {
      const src = safeUrl(given.get("src"), IMAGE_SCHEMES);
      if (src === null) return escapeHtml(given.get("alt") ?? "");
      keep("src", src);
      keep("alt", given.get("alt"));
      keep("title", given.get("title"));
      break;
    }
    case "input":
      // Only a task list's checkbox, and never one the reader can tick; named for screen readers
      // (a checkbox without a label is an accessibility failure, axe's "label" rule).
      if (given.get("type")?.toLowerCase() !== "checkbox") return null;
      return given.has("checked")
        ? `<input type="checkbox" disabled checked aria-label="done">`
        : `<input type="checkbox" disabled aria-label="to do">`;
    case "code":
      keep("class", /^language-[^\s]+$/.exec(given.get("class") ?? "")?.[0]);
      break;
    case "ol":
      keep("start", /^\d{1,9}$/.exec(given.get("start") ?? "")?.[0]);
      break;
    case "th":
    case "td": {
      // A column's alignment (`:--:`) as a class the page styles: `align` is a presentational hint,
      // which any author rule for cells (the page's `text-align:left`) overrides.
      const align = /^(?:left|center|right)$/.exec(given.get("align")?.toLowerCase() ?? "")?.[0];
      keep("class", align === undefined ? undefined : `align-${align}`);
      break;
    }
  }
  return `<${name}${kept.join("")}>`;
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
