/**
 * `_redirects`, the Cloudflare Pages dialect: one rule a line, `from to [status]`.
 *
 * - `from` is a path, with `:placeholders` and one `*` (pattern.ts); `to` a path or an https URL,
 *   which may use the placeholders and `:splat`; the status 301, 302 (the default), 303, 307, 308,
 *   or 200, which serves `to`'s answer at `from` (a rewrite, to a path only).
 * - The first rule that matches applies. The leading rules with neither placeholder nor splat
 *   ("static") are found by their exact path; the platform takes 2,000 of them, and 100 of the
 *   rest ("dynamic", every rule after the first dynamic one), and stops reading at the 101st.
 * - A rule is skipped, with a warning, when it is malformed, repeats a source, or would loop: a
 *   splat (or on the platform, a folder) sent to `/index` or `/index.html`, which the platform
 *   sends back to the folder.
 *
 * @module
 */
import { hasHost, type Line, normalizeUrl, REDIRECTS_FILE, type RuleWarning, ruleLines, warning } from "./lines.js";
import { compilePattern, type Pattern } from "./pattern.js";

export const MAX_STATIC_REDIRECTS = 2000;
export const MAX_DYNAMIC_REDIRECTS = 100;
const STATUSES = new Set([200, 301, 302, 303, 307, 308]);

/** A redirect rule, parsed. */
export interface RedirectRule {
  pattern: Pattern;
  /** The target, normalised; may hold placeholders. */
  to: string;
  status: number;
  /** Its line in the file. */
  line: number;
}

/** The rules of a `_redirects`: the static ones by path, then the rest in order. */
export interface Redirects {
  exact: ReadonlyMap<string, RedirectRule>;
  ordered: readonly RedirectRule[];
}

/**
 * Parses a `_redirects` file; never throws: each malformed line is a warning, and skipped.
 *
 * @param text the file's text
 * @returns the rules and the warnings
 * @example
 * ```ts
 * const { rules, warnings } = parseRedirects("/old /new 301\n/blog/* /posts/:splat\n");
 * ```
 */
export function parseRedirects(text: string): { rules: Redirects; warnings: RuleWarning[] } {
  const warnings: RuleWarning[] = [];
  const exact = new Map<string, RedirectRule>();
  const ordered: RedirectRule[] = [];
  const seen = new Set<string>();
  let statics = 0;
  let dynamics = 0;
  for (const line of ruleLines(text, REDIRECTS_FILE, warnings)) {
    const skip = (message: string) => warnings.push(warning(REDIRECTS_FILE, line, message));
    // A `#` after whitespace starts a comment; one inside a URL is its fragment.
    const tokens = line.text.replace(/\s+#.*$/, "").split(/\s+/);
    if (tokens.length < 2 || tokens.length > 3) {
      skip(`expected 'from to [status]', got ${tokens.length} word${tokens.length === 1 ? "" : "s"}`);
      continue;
    }
    const [fromToken = "", toToken = "", statusToken = "302"] = tokens;
    const from = normalizeUrl(fromToken, { relativeOnly: true, noPorts: true });
    if ("error" in from) {
      skip(from.error);
      continue;
    }
    // Counted as the platform counts: before the rest is checked, and a static-looking rule after
    // the first dynamic one is dynamic. Past the dynamic limit, the platform reads no further.
    const isStatic = dynamics === 0 && !/[*]|:[A-Za-z]/.test(from.url);
    if (isStatic && ++statics > MAX_STATIC_REDIRECTS) {
      skip(`the platform takes at most ${MAX_STATIC_REDIRECTS} static rules`);
      continue;
    }
    if (!isStatic && ++dynamics > MAX_DYNAMIC_REDIRECTS) {
      skip(
        `the platform takes at most ${MAX_DYNAMIC_REDIRECTS} rules with a placeholder or a splat: the rest is ignored`,
      );
      break;
    }
    const rule = checkedRule(line, from.url, toToken, statusToken, seen);
    if (typeof rule === "string") {
      skip(rule);
      continue;
    }
    if (isStatic) exact.set(from.url, rule);
    else ordered.push(rule);
  }
  return { rules: { exact, ordered }, warnings };
}

/** The rule of `line`, or why it is skipped. Marks `from` seen once the rule is well formed. */
function checkedRule(
  line: Line,
  from: string,
  toToken: string,
  statusToken: string,
  seen: Set<string>,
): RedirectRule | string {
  const to = normalizeUrl(toToken, { keepQuery: true });
  if ("error" in to) return to.error;
  const status = Number(statusToken);
  if (!STATUSES.has(status)) return `the status is 200, 301, 302 (the default), 303, 307 or 308, not ${statusToken}`;
  const relative = !hasHost(to.url);
  // The platform's own test, its regular expression as written (the dot unescaped).
  const toIndex = /\/index(.html)?$/.test(to.url);
  if (relative && toIndex && (from.endsWith("/*") || from.endsWith("/"))) {
    return "this rule would loop: the platform sends /index and /index.html back to their folder";
  }
  if (seen.has(from)) return `a rule for ${from} comes earlier`;
  seen.add(from);
  if (status === 200 && !relative) return "a rewrite (200) serves a path of this site, not another URL";
  const pattern = compilePattern(from);
  if (typeof pattern === "string") return pattern;
  return { pattern, to: to.url, status, line: line.number };
}
