/**
 * Where a middleware is mounted, from the route Hono matched: `/static/*` mounts at `/static`.
 *
 * The route is written decoded (`/dätä/*`) and may hold parameters (`/:lang/files/*`), while the
 * core compares its prefix with the raw request URL. So the route only says how many path
 * segments the mount point spans; the prefix is then that many segments of the request's own URL,
 * spelled exactly as the client sent them.
 *
 * @module
 */

/** How to find a route's mount point in a request path. */
type Mount =
  /** Every segment before the last is a literal or a one-segment parameter: a fixed count. */
  | { segments: number }
  /** A parameter with its own pattern (which may span slashes) or a wildcard mid-route. */
  | { pattern: RegExp; segments: number };

/** A request as the core should see it, and the mount prefix it is under. */
export interface Mounted {
  /** Percent-encoded, without a trailing slash; `""` for the root. */
  prefix: string;
  request: Request;
}

// Route paths come from the app's code, so there are few of them: each is compiled once.
const compiled = new Map<string, Mount>();

/**
 * The mount point of `request`, matched by the route `route` (from `routePath(c)`) against
 * `path` (Hono's `c.req.path`, decoded the way the router saw it).
 *
 * @example
 * ```ts
 * mountOf("/:lang/files/*", "/en/files/a.txt", request).prefix; // "/en/files"
 * ```
 */
export function mountOf(route: string, path: string, request: Request): Mounted {
  let mount = compiled.get(route);
  if (mount === undefined) {
    mount = compile(route);
    compiled.set(route, mount);
  }
  const segments = "pattern" in mount ? (matchedSegments(mount.pattern, path) ?? mount.segments) : mount.segments;
  // The path of the absolute URL, as sent: never rebuilt through `URL`, which would re-encode it.
  const url = request.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (segments === 0 || start < 0) return { prefix: "", request };
  const tail = url.slice(start).search(/[?#]/);
  const pathEnd = tail < 0 ? url.length : start + tail;
  let end = start;
  for (let i = 0; i < segments && end >= 0 && end < pathEnd; i++) end = url.indexOf("/", end + 1);
  if (end < 0 || end > pathEnd) end = pathEnd;
  const raw = url.slice(start, end);
  // The URL parser leaves a few characters raw (`|`, `[`, `]`, `^`) that the core's prefix does
  // not take: encode them, in the prefix and in the URL the core sees, so the two still agree.
  const prefix = encodeRaw(raw);
  if (prefix === raw) return { prefix, request };
  return { prefix, request: respelled(request, url.slice(0, start) + prefix + url.slice(end)) };
}

/** `text` with the characters the core's prefix does not take percent-encoded. */
function encodeRaw(text: string): string {
  return text.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@%/]/g, encodeURIComponent);
}

/**
 * `request` at `url`, with its body (a write's, streamed: `duplex: "half"`, which the Fetch
 * standard asks of a stream body) and its `Destination` spelled as the new URL is: the core finds
 * a MOVE's or a COPY's destination under the prefix only when both spell it alike.
 */
function respelled(request: Request, url: string): Request {
  const headers = new Headers(request.headers);
  const destination = headers.get("destination");
  if (destination !== null) {
    // The path of an absolute URL or of an absolute path: after the authority, up to `?` or `#`.
    const path = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*)?(\/[^?#]*)/i.exec(destination);
    if (path?.[1] !== undefined) {
      const at = path[0].length - path[1].length;
      headers.set("destination", destination.slice(0, at) + encodeRaw(path[1]) + destination.slice(path[0].length));
    }
  }
  const init = { method: request.method, headers, body: request.body, signal: request.signal, duplex: "half" };
  return new Request(url, init as RequestInit);
}

/** How many segments of `path` the pattern spans; null when it does not match (a custom getPath). */
function matchedSegments(pattern: RegExp, path: string): number | null {
  const matched = pattern.exec(path)?.[0];
  return matched === undefined ? null : matched.split("/").length - 1;
}

/** The route's segments, a `{…}` pattern kept whole even when it holds a `/`. */
function split(route: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of route) {
    if (char === "/" && depth === 0) {
      segments.push(current);
      current = "";
      continue;
    }
    if (char === "{") depth++;
    else if (char === "}") depth = Math.max(0, depth - 1);
    current += char;
  }
  segments.push(current);
  // A leading `/`, and a trailing one (`/static/`), add no segment.
  if (segments[0] === "") segments.shift();
  if (segments.at(-1) === "") segments.pop();
  return segments;
}

const isLiteral = (segment: string): boolean => !segment.startsWith(":") && !segment.includes("*");

function compile(route: string): Mount {
  const segments = split(route);
  // The last segment is what the middleware serves (`*`, `:rest{.+}`, `:file`), unless it is a
  // literal: `app.use("/static", …)` is mounted at `/static` itself (and redirects to `/static/`).
  const last = segments.at(-1);
  const mount = last !== undefined && !isLiteral(last) ? segments.slice(0, -1) : segments;
  if (mount.every((segment) => isLiteral(segment) || /^:[^{}?]+$/.test(segment))) return { segments: mount.length };
  const source = mount.map((segment) => {
    if (isLiteral(segment)) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    const param = /^:[^{}]+\{(.+)\}$/.exec(segment);
    return param ? `/(?:${param[1]})` : "/[^/]*";
  });
  return { pattern: new RegExp(`^${source.join("")}(?=/|$)`), segments: mount.length };
}
