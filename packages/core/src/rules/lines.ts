/**
 * What the parsers of `_redirects` and `_headers` share: the warning, the limits, the lines, and
 * how a rule's URL is read.
 *
 * @module
 */

/** The rule files, at the root of the served tree. */
export const REDIRECTS_FILE = "_redirects";
export const HEADERS_FILE = "_headers";

/** A line longer than this is skipped, as the platform skips it. */
export const MAX_LINE_LENGTH = 2000;

/** A line of a rule file that was skipped, and why. */
export interface RuleWarning {
  /** `_redirects` or `_headers`. */
  file: string;
  /** The line's number, from 1. */
  line: number;
  /** The line, trimmed (cut at 100 characters for a line over the length limit). */
  text: string;
  /** Why it was skipped, in a sentence. */
  message: string;
}

/** One line to parse: its number and its text, trimmed. */
export interface Line {
  number: number;
  text: string;
}

/**
 * The lines that hold a rule: not blank, not a `#` comment. A line over the length limit is a
 * warning and is skipped, as on the platform.
 */
export function ruleLines(text: string, file: string, warnings: RuleWarning[]): Line[] {
  const lines: Line[] = [];
  // Split at LF and trimmed, as the platform reads: a CR before the LF, and a BOM, are whitespace.
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (line.length > MAX_LINE_LENGTH) {
      const message = `the line is longer than ${MAX_LINE_LENGTH} characters`;
      warnings.push({ file, line: i + 1, text: `${line.slice(0, 100)}…`, message });
      return;
    }
    lines.push({ number: i + 1, text: line });
  });
  return lines;
}

/** The warning for `line` of `file`. */
export function warning(file: string, line: Line, message: string): RuleWarning {
  return { file, line: line.number, text: line.text, message };
}

// An absolute URL, as the platform reads one: https only, its host up to the first slash.
const ABSOLUTE = /^https:\/\/+([^/]+)\/?(.*)/;

/** How a rule's URL may be written. */
export interface UrlRules {
  /** Only a path (a `_redirects` source): a bare `a` is read as `/a`. */
  relativeOnly?: boolean;
  /** No port in an absolute URL's host (`_headers`). */
  noPorts?: boolean;
  /** Keep the query and the fragment (a `_redirects` target). */
  keepQuery?: boolean;
}

/**
 * A rule's URL as the platform normalises it, through the WHATWG URL parser: dot segments
 * resolved, characters percent-encoded as a URL's path has them; or why it cannot be one.
 *
 * @param token the URL as written
 * @param rules how it may be written
 * @returns `{ url }`, or `{ error }`
 */
export function normalizeUrl(token: string, rules: UrlRules): { url: string } | { error: string } {
  const absolute = ABSOLUTE.exec(token);
  const host = absolute?.[1];
  if (absolute && host) {
    if (rules.relativeOnly) return { error: "only a path may be matched here, not an absolute URL" };
    if (rules.noPorts && /:\d+$/.test(host)) return { error: "an absolute URL here may not name a port" };
    return { url: `https://${host}${pathOf(absolute[2] ?? "", rules.keepQuery)}` };
  }
  const path = rules.relativeOnly && !token.startsWith("/") ? `/${token}` : token;
  if (!path.startsWith("/")) {
    return { error: "a URL here is a path (starting with /) or an https:// URL" };
  }
  try {
    return { url: pathOf(path, rules.keepQuery) };
  } catch {
    return { error: "the path cannot be read as a URL" };
  }
}

/** Whether a normalised URL names a host. */
export function hasHost(url: string): boolean {
  return ABSOLUTE.test(url);
}

function pathOf(path: string, keepQuery = false): string {
  // "//" then the path, against a base of a scheme that is not special: the path is parsed as a
  // URL's path (dot segments, percent-encoding) and nothing in it can become a host.
  const url = new URL(`//${path.startsWith("/") ? path : `/${path}`}`, "relative://");
  return keepQuery ? `${url.pathname}${url.search}${url.hash}` : url.pathname;
}
