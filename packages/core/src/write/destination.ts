/**
 * The `Destination` of a `MOVE` or `COPY` (RFC 4918 §10.3): an absolute URI or an absolute path.
 * Its path is then checked as a request path is (fs/resolve.ts), by the caller.
 *
 * @module
 */
import { splitTarget, stripPrefix } from "../http/target.js";

/**
 * The path under the mount `prefix` that `request`'s `Destination` names (still percent-encoded);
 * `null` when it names another server (RFC 4918 §9.9.4: 502); a sentence for a 400 when it is
 * missing or not a destination of this share.
 *
 * @example
 * ```ts
 * const headers = { host: "h", destination: "http://h/b%20c" };
 * destinationOf(new Request("http://h/a", { method: "MOVE", headers }), ""); // { pathname: "/b%20c" }
 * ```
 */
export function destinationOf(request: Request, prefix: string): { pathname: string } | null | string {
  const value = request.headers.get("destination")?.trim();
  if (value === undefined || value === "") return "a MOVE or COPY needs a Destination";
  let pathname: string;
  if (value.startsWith("/")) {
    pathname = splitTarget(`http://-${value}`).pathname;
  } else {
    const authority = /^https?:\/\/([^/?#]*)/i.exec(value)?.[1]?.toLowerCase();
    if (authority === undefined) return "the Destination is neither a URL nor a path";
    const host = request.headers.get("host")?.toLowerCase() ?? new URL(request.url).host;
    if (authority !== host) return null;
    pathname = splitTarget(value).pathname;
  }
  const local = stripPrefix(pathname, prefix);
  return local === undefined ? "the Destination is outside this share" : { pathname: local };
}
