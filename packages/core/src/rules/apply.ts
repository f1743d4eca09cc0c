/**
 * The rules applied to a request: the redirect (or rewrite) that `_redirects` gives its path, and
 * the headers `_headers` gives its reply.
 *
 * @module
 */
import type { HeaderRule } from "./headers.js";
import { matchPattern, substitute } from "./pattern.js";
import type { RedirectRule, Redirects } from "./redirects.js";

/** What a redirect rule does with a request: send it elsewhere, or serve another path's answer. */
export type Redirected = { status: number; location: string } | { rewrite: string };

/**
 * What the first rule of `redirects` matching `path` does, or `null` when none matches.
 *
 * @param redirects the parsed `_redirects`
 * @param path the request's path under the mount point, as sent (it passed the path checks)
 * @param search the request's query, `?…` or ""
 * @param prefix the mount point, prepended to a relative target
 * @param origin the request's origin (a target there is answered as a path), asked only when needed
 * @returns the redirect's status and `Location`, a rewrite's path, or `null`
 * @example
 * ```ts
 * redirectOf(parseRedirects("/old/* /new/:splat 301").rules, "/old/a", "?x=1", "", () => "http://site.example");
 * // { status: 301, location: "/new/a?x=1" }
 * ```
 */
export function redirectOf(
  redirects: Redirects,
  path: string,
  search: string,
  prefix: string,
  origin: () => string,
): Redirected | null {
  const exact = redirects.exact.get(path);
  const found = exact === undefined ? firstMatch(redirects.ordered, path) : { rule: exact, target: exact.to };
  if (found === null) return null;
  const { rule, target } = found;
  const absolute = /^\w+:\/\//.test(target);
  if (!absolute) {
    // A path, its slash runs made one (as the platform does: `/a/:splat` with an empty splat).
    // Read against a scheme that is not special, `\` is no separator: no target becomes `//host`.
    const url = new URL(`//${target.replace(/\/+/g, "/")}`, "relative://");
    const pathname = url.pathname.replaceAll("\\", "%5C");
    if (rule.status === 200) return { rewrite: pathname };
    // The target's own query replaces the request's; without one, the request's is kept.
    return { status: rule.status, location: `${prefix}${pathname}${url.search || search}${url.hash}` };
  }
  const url = new URL(target);
  if (url.origin === origin()) {
    return { status: rule.status, location: `${url.pathname}${url.search || search}${url.hash}` };
  }
  const bare = url.href.slice(0, url.href.length - url.search.length - url.hash.length);
  return { status: rule.status, location: `${bare}${url.search || search}${url.hash}` };
}

function firstMatch(rules: readonly RedirectRule[], path: string): { rule: RedirectRule; target: string } | null {
  for (const rule of rules) {
    const params = matchPattern(rule.pattern, "", path);
    if (params !== null) return { rule, target: substitute(rule.to, params).trim() };
  }
  return null;
}

/**
 * Applies every block of `rules` that matches the request to `headers`, in order: a block's
 * removals, then its headers, the first of each name replacing the server's, later ones added.
 *
 * @param rules the parsed `_headers`
 * @param host the request's host name, asked only for a block that names a host
 * @param path the request's path under the mount point, as sent
 * @param headers the reply's headers, changed in place
 */
export function applyHeaderRules(
  rules: readonly HeaderRule[],
  host: () => string,
  path: string,
  headers: Headers,
): void {
  const set = new Set<string>();
  for (const rule of rules) {
    const params = matchPattern(rule.pattern, rule.pattern.crossHost ? host() : "", path);
    if (params === null) continue;
    for (const name of rule.unset) headers.delete(name);
    for (const [name, value] of rule.set) {
      const filled = params.length === 0 ? value : substitute(value, params);
      if (set.has(name)) headers.append(name, filled);
      else headers.set(name, filled);
      set.add(name);
    }
  }
}
