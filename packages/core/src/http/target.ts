/**
 * The request target, read without building a `URL`: `request.url` is already absolute and
 * serialised, and neither its Host nor anything a `URL` parser would normalise may matter.
 *
 * @module
 */

/**
 * Whether a Host header can be an authority (RFC 9112 §3.2: uri-host [":" port]). The Host never
 * steers anything here (paths and redirects ignore it), but one that cannot be an authority is a
 * malformed request, and on runtimes that build `request.url` from it, it may have mangled the
 * URL: such a request is refused (400).
 *
 * @example
 * ```ts
 * isAuthority("example.com:8000"); // true
 * isAuthority("a/b");              // false
 * ```
 */
export function isAuthority(host: string): boolean {
  return !/[\s/\\@?#]/.test(host);
}

/**
 * The path and query of an absolute URL. The fragment, which a client should never send, is
 * dropped.
 *
 * @example
 * ```ts
 * splitTarget("http://h/a/b?x=1#f"); // { pathname: "/a/b", search: "?x=1" }
 * ```
 */
export function splitTarget(url: string): { pathname: string; search: string } {
  const authority = url.indexOf("//");
  let start = url.indexOf("/", authority < 0 ? 0 : authority + 2);
  if (start < 0) start = url.length;
  let end = url.length;
  const hash = url.indexOf("#", start);
  if (hash >= 0) end = hash;
  const query = url.indexOf("?", start);
  if (query >= 0 && query < end) return { pathname: url.slice(start, query) || "/", search: url.slice(query, end) };
  return { pathname: url.slice(start, end) || "/", search: "" };
}

/**
 * The path and query of an origin-form request target as sent (`/path?query`, RFC 9112 §3.2.1).
 * A `#`, which no client should send, ends the path as in {@link splitTarget}.
 *
 * @example
 * ```ts
 * splitOriginForm("/x/../a.txt?v=1"); // { pathname: "/x/../a.txt", search: "?v=1" }
 * splitOriginForm("/a//b");           // { pathname: "/a//b", search: "" }
 * ```
 */
function splitOriginForm(target: string): { pathname: string; search: string } {
  const hash = target.indexOf("#");
  const end = hash < 0 ? target.length : hash;
  const query = target.indexOf("?");
  if (query >= 0 && query < end) return { pathname: target.slice(0, query), search: target.slice(query, end) };
  return { pathname: target.slice(0, end), search: "" };
}

/**
 * The path and query of a request target as sent: origin-form or absolute-form (RFC 9112 §3.2.1,
 * §3.2.2); `undefined` for none, or another form (`*`), which the runtime's URL then stands for.
 *
 * @example
 * ```ts
 * sentPath("/x/../a.txt");        // { pathname: "/x/../a.txt", search: "" }
 * sentPath("http://h/x/../a?q");  // { pathname: "/x/../a", search: "?q" }
 * sentPath("*");                  // undefined
 * ```
 */
export function sentPath(target: string | undefined): { pathname: string; search: string } | undefined {
  if (target === undefined) return undefined;
  if (target.startsWith("/")) return splitOriginForm(target);
  return ABSOLUTE_FORM.test(target) ? splitTarget(target) : undefined;
}

// RFC 3986 §3.1: a scheme, then the authority's `//`.
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * The path under `prefix`, or `undefined` outside it.
 *
 * @example
 * ```ts
 * stripPrefix("/static/a", "/static"); // "/a"
 * stripPrefix("/static", "/static");   // ""
 * stripPrefix("/staticx", "/static");  // undefined
 * ```
 */
export function stripPrefix(pathname: string, prefix: string): string | undefined {
  if (prefix === "") return pathname;
  if (!pathname.startsWith(prefix)) return undefined;
  const rest = pathname.slice(prefix.length);
  return rest === "" || rest.startsWith("/") ? rest : undefined;
}
