/**
 * `_headers`, the Cloudflare Pages dialect: a URL pattern on a line of its own (a path, or an
 * `https://host/path`, with `:placeholders` and one `*`), then its headers, indented by custom,
 * `Name: value`, or `! Name` to remove a header an earlier block (or the server) set.
 *
 * Every block whose pattern matches applies, in order: the first to set a name replaces the
 * server's header of that name, the later ones add to it. The platform takes 100 blocks (and
 * reads a 101st before it stops, which is kept, as it keeps it). Names and values are checked as
 * `--header`'s are (http/fields.ts), so a rule the server could not send is a warning at start-up.
 *
 * @module
 */
import { checkedHeader } from "../http/fields.js";
import { HEADERS_FILE, type Line, normalizeUrl, type RuleWarning, ruleLines, warning } from "./lines.js";
import { compilePattern, type Pattern } from "./pattern.js";

export const MAX_HEADER_RULES = 100;

/** A block of `_headers`, parsed. */
export interface HeaderRule {
  pattern: Pattern;
  /** Headers to set, lower-case names, each name once (repeated lines joined with ", "). */
  set: ReadonlyArray<readonly [string, string]>;
  /** Names to remove, lower case. */
  unset: readonly string[];
  /** Its line in the file. */
  line: number;
}

// The fields that frame the message (RFC 9112 §6, RFC 9110 §7.6.1): the server's to send, never a
// rule's, whatever the platform (which sends its own) does with them.
const FRAMING = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
]);
// What the platform takes for a URL line rather than a header: a slash, or a scheme first.
const URL_LINE = /^([^\s]+:\/\/|\/)/;

interface Pending {
  line: Line;
  pattern: Pattern;
  set: Map<string, string>;
  unset: string[];
}

/**
 * Parses a `_headers` file; never throws: each malformed line is a warning, and skipped.
 *
 * @param text the file's text
 * @returns the rules, in order, and the warnings
 * @example
 * ```ts
 * const { rules } = parseHeaders("/assets/*\n  Cache-Control: max-age=31536000\n  ! ETag\n");
 * ```
 */
export function parseHeaders(text: string): { rules: HeaderRule[]; warnings: RuleWarning[] } {
  const warnings: RuleWarning[] = [];
  const rules: HeaderRule[] = [];
  let pending: Pending | undefined;
  // The lines of a block whose URL was refused are skipped with it: its warning covers them (as
  // wrangler does since workers-sdk#12276).
  let refused = false;
  const close = () => {
    if (pending === undefined) return;
    const { line, pattern, set, unset } = pending;
    if (set.size === 0 && unset.length === 0) warnings.push(warning(HEADERS_FILE, line, "no headers follow this URL"));
    else rules.push({ pattern, set: [...set], unset, line: line.number });
    pending = undefined;
  };
  for (const line of ruleLines(text, HEADERS_FILE, warnings)) {
    const skip = (message: string) => warnings.push(warning(HEADERS_FILE, line, message));
    if (URL_LINE.test(line.text)) {
      if (rules.length >= MAX_HEADER_RULES) {
        skip(`the platform takes at most ${MAX_HEADER_RULES} rules: the rest is ignored`);
        break;
      }
      close();
      const url = normalizeUrl(line.text, { noPorts: true });
      const pattern = "error" in url ? url.error : compilePattern(url.url);
      refused = typeof pattern === "string";
      if (typeof pattern === "string") skip(pattern);
      else pending = { line, pattern, set: new Map(), unset: [] };
      continue;
    }
    if (refused) continue;
    const problem = headerLine(line.text, pending);
    if (problem !== undefined) skip(problem);
  }
  close();
  return { rules, warnings };
}

/** Adds the header line `text` to `rule`; or why it is skipped. */
function headerLine(text: string, rule: Pending | undefined): string | undefined {
  const colon = text.indexOf(":");
  if (colon < 0) {
    if (rule === undefined) return "expected a URL, starting with /, before its headers";
    if (!text.startsWith("! ")) return "expected 'Name: value', or '! Name' to remove a header";
    const name = text.slice(2).trim();
    const problem = nameProblem(name);
    if (problem === undefined) rule.unset.push(name.toLowerCase());
    return problem;
  }
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (name.includes(" ")) return "a header name has no spaces";
  if (name === "") return "the header has no name";
  if (value === "") return "the header has no value";
  if (rule === undefined) return "expected a URL, starting with /, before its headers";
  const problem = nameProblem(name) ?? fieldProblem(name, value);
  if (problem !== undefined) return problem;
  const [lower, checked] = checkedHeader(name, value);
  const earlier = rule.set.get(lower);
  rule.set.set(lower, earlier === undefined ? checked : `${earlier}, ${checked}`);
  return undefined;
}

/** Why `name` cannot be a rule's header, if it cannot: not a token, or one that frames the message. */
function nameProblem(name: string): string | undefined {
  return (
    fieldProblem(name, "") ??
    (FRAMING.has(name.toLowerCase()) ? `${name} frames the message: the server sets it, not a rule` : undefined)
  );
}

/** `--header`'s check of a field (http/fields.ts), as a reason rather than a throw. */
function fieldProblem(name: string, value: string): string | undefined {
  try {
    checkedHeader(name, value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
