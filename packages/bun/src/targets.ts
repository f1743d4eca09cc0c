/**
 * The request target as the client sent it, as far as Bun lets it be seen.
 *
 * Bun builds `request.url` with the URL parser, which reads `\` as `/` and resolves `.` and `..`
 * segments, `%2e` spellings included: a raw `GET /x/../a.txt` reaches the handler as `/a.txt`. This
 * server refuses such targets (400) rather than reinterpret them, as it does on Node and Deno
 * (RFC 9112 §3.2; docs/security.md). Bun's router, though, matches `routes` against the raw target
 * and gives each `:param` its segment, percent-decoded (oven-sh/bun#42724 proposes matching the
 * normalised path instead). So every path of up to {@link MAX_DEPTH} segments is routed through a
 * pattern of its depth, and its segments are read there.
 *
 * What no route matches (an empty segment, `//`, or more than {@link MAX_DEPTH} segments) reaches
 * the fallback with only the normalised URL: see {@link normalisedAway} for what it can still tell.
 *
 * @module
 */

/** Paths of up to this many segments are matched by a route, and their segments checked. */
export const MAX_DEPTH = 64;

/**
 * The routes, `/`, `/:s1`, `/:s1/`, … down to {@link MAX_DEPTH} segments, each to `handler`.
 *
 * @param handler What answers a request that any of them matched.
 * @returns The `routes` option of `Bun.serve`.
 * @example
 * ```ts
 * Bun.serve({ routes: depthRoutes((request) => answer(request, sentTarget(request.params))), fetch });
 * ```
 */
export function depthRoutes<T>(handler: T): Record<string, T> {
  const routes: Record<string, T> = { "/": handler };
  let pattern = "";
  for (let depth = 1; depth <= MAX_DEPTH; depth++) {
    pattern += `/:s${depth}`;
    routes[pattern] = handler;
    routes[`${pattern}/`] = handler;
  }
  return routes;
}

/**
 * The target to give the core when the segments as sent hold one it refuses (`.`, `..`, or one
 * with a `\`), else `undefined` (then `request.url` says the same as the raw target). Each
 * segment is percent-encoded again, so the core decodes exactly the segment that was sent.
 *
 * @param params The route's parameters, one per segment, in order.
 * @example
 * ```ts
 * sentTarget({ s1: "x", s2: "..", s3: "a.txt" }); // "/x/../a.txt"
 * sentTarget({ s1: "docs", s2: "a.txt" });        // undefined
 * ```
 */
export function sentTarget(params: Readonly<Record<string, string>>): string | undefined {
  const segments = Object.values(params);
  if (!segments.some((segment) => segment === "." || segment === ".." || segment.includes("\\"))) return undefined;
  return `/${segments.map(encodeURIComponent).join("/")}`;
}

/**
 * The path as sent, for the log line, when {@link sentTarget} refused it: each segment as it was
 * sent, once percent-decoded (Bun gives no more), so `/..\..\etc/passwd` is logged as such.
 *
 * @example
 * ```ts
 * loggedTarget({ s1: "..\\..\\etc", s2: "passwd" }); // "/..\\..\\etc/passwd"
 * ```
 */
export function loggedTarget(params: Readonly<Record<string, string>>): string {
  return `/${Object.values(params).join("/")}`;
}

/**
 * Whether the normalised `url` of a request no route matched must have lost a segment to the URL
 * parser. No route matches a raw path with an empty segment or more than {@link MAX_DEPTH}
 * segments; normalising never adds an empty segment, so a path that shows none and is short
 * enough must have had one, and lost it together with a `..` (`/a//../b` becomes `/a/b`). What
 * still shows an empty segment, or is deeper, may also have held a `..` that Bun resolved: that
 * case cannot be told apart here (docs/runtimes.md).
 *
 * @example
 * ```ts
 * normalisedAway("http://host/a/b");  // true: it matched no route, yet shows nothing that explains it
 * normalisedAway("http://host/a//b"); // false: the empty segment explains it
 * ```
 */
export function normalisedAway(url: string): boolean {
  const scheme = url.indexOf("://");
  const start = url.indexOf("/", scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return false;
  const query = url.indexOf("?", start);
  const path = url.slice(start, query < 0 ? url.length : query);
  if (path.includes("//")) return false;
  return path.split("/").filter((segment) => segment !== "").length <= MAX_DEPTH;
}
