/**
 * The URL patterns of `_redirects` and `_headers` (the Cloudflare Pages dialect): a path, or an
 * `https://host/path` (in `_headers`), with `:placeholders` and at most one `*` splat, which
 * matches as the placeholder `:splat`.
 *
 * The platform compiles a pattern to a regular expression: `*` matches anything, `/` included; a
 * placeholder one or more characters up to the next `/` (and, in the host, up to the next `.`,
 * as URLPattern does); anything else itself. A pattern whose names repeat (two `*`, a `*` and a
 * `:splat`, a placeholder twice) cannot compile there, and the platform drops it silently; here it
 * is a warning.
 *
 * @module
 */

/** A compiled pattern; see {@link compilePattern}. */
export interface Pattern {
  /** Whether it names a host (`https://host/path`), matched against the request's host too. */
  crossHost: boolean;
  /** Whether it has a placeholder or a splat. */
  dynamic: boolean;
  regExp: RegExp;
  /** The placeholders' names, in the order they appear (`splat` for `*`). */
  names: readonly string[];
}

/** What a matching request gave each placeholder, in the pattern's order (`splat` for `*`). */
export type Params = ReadonlyArray<readonly [string, string]>;

// A placeholder is a colon, a letter, then letters, digits or underscores (`:page_2`).
const PLACEHOLDER = /^:([A-Za-z]\w*)/;
const SPECIAL = /[-/\\^$*+?.()|[\]{}]/g;

/**
 * Compiles `source`, a rule's URL as the parser normalised it.
 *
 * @param source a path (`/blog/:year/*`) or `https://host/path`
 * @returns the pattern, or why it cannot be one
 * @example
 * ```ts
 * const pattern = compilePattern("/blog/:year/*");
 * matchPattern(pattern as Pattern, "example.com", "/blog/2024/a/b"); // [["year", "2024"], ["splat", "a/b"]]
 * ```
 */
export function compilePattern(source: string): Pattern | string {
  const crossHost = source.startsWith("https://");
  const hostEnd = crossHost ? source.indexOf("/", "https://".length) : 0;
  const names = new Set<string>();
  let expression = "^";
  for (let i = 0; i < source.length; ) {
    const placeholder = PLACEHOLDER.exec(source.slice(i));
    const name = source[i] === "*" ? "splat" : placeholder?.[1];
    if (name === undefined) {
      expression += (source[i] as string).replace(SPECIAL, "\\$&");
      i += 1;
      continue;
    }
    if (names.has(name)) {
      return name === "splat"
        ? "only one * (or :splat) is allowed in a rule: name the others, such as :project"
        : `the placeholder :${name} appears twice`;
    }
    names.add(name);
    const inHost = crossHost && (hostEnd < 0 || i < hostEnd);
    expression += source[i] === "*" ? "(.*)" : inHost ? "([^/.]+)" : "([^/]+)";
    i += source[i] === "*" ? 1 : (placeholder?.[0].length ?? 1);
  }
  return { crossHost, dynamic: names.size > 0, regExp: new RegExp(`${expression}$`), names: [...names] };
}

/**
 * What `pattern` gives each placeholder for a request to `host` and `path`, or `null` when it
 * does not match. A host pattern is tested against `https://host/path`, whatever the request's
 * scheme, as the platform does (so no scheme can slip past a site's rules).
 *
 * @param pattern a compiled pattern
 * @param host the request's host name, without the port
 * @param path the request's path, as sent (percent-encoded)
 * @returns the placeholders' values, or `null`
 */
export function matchPattern(pattern: Pattern, host: string, path: string): Params | null {
  const found = pattern.regExp.exec(pattern.crossHost ? `https://${host}${path}` : path);
  if (found === null) return null;
  return pattern.names.map((name, i) => [name, found[i + 1] ?? ""] as const);
}

/**
 * `template` with each `:name` replaced by its value, in the pattern's order, as the platform
 * replaces them (every occurrence, and a longer name that starts with a shorter one is cut: `:id`
 * also replaces the start of `:identity`).
 *
 * @param template a rule's target or header value
 * @param params what the request gave the placeholders
 * @returns the template filled in
 */
export function substitute(template: string, params: Params): string {
  let filled = template;
  for (const [name, value] of params) filled = filled.replaceAll(`:${name}`, value);
  return filled;
}
