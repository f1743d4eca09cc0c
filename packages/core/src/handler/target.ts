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
