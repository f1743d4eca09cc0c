/**
 * Which browser may write: only a page of the share's own origin, or of the one origin the `cors`
 * option names. Any page on the web can make a browser send a form `POST` to a share on the same
 * network (a CORS "simple request", no preflight), with the visitor's credentials: so a write that
 * says it comes from another site is refused (403), before anything is read or changed.
 *
 * Browsers say where a request comes from: `Sec-Fetch-Site` (Fetch Metadata) and `Origin` (sent
 * with every POST, PUT, DELETE and WebDAV method). Clients that send neither (curl, rclone,
 * cadaver) are not browsers and carry no visitor's credentials.
 *
 * @module
 */

/**
 * Why a write from `request` must be refused as cross-site, or `null` when it may go on.
 *
 * @param request the write
 * @param allowedOrigin the origin `cors` names (a `*` names none: it never lets a page write)
 * @returns a sentence for the 403 page, or `null`
 * @example
 * ```ts
 * const headers = { host: "share:8000", origin: "https://evil.example" };
 * crossSiteRefusal(new Request("http://share:8000/a", { method: "PUT", headers }), null);
 * // "a write from another site's page is refused"
 * ```
 */
export function crossSiteRefusal(request: Request, allowedOrigin: string | null): string | null {
  const origin = request.headers.get("origin");
  if (origin !== null && allowedOrigin !== null && origin === allowedOrigin) return null;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return CROSS_SITE;
  // A sandboxed page, a data: URL or a redirect across origins sends `null`: never the share.
  if (origin === "null") return CROSS_SITE;
  if (origin !== null && authorityOf(origin) !== request.headers.get("host")?.toLowerCase()) return CROSS_SITE;
  return null;
}

const CROSS_SITE = "a write from another site's page is refused";

/** The host and port of an origin (`scheme://host[:port]`), lower-cased; `undefined` if it is none. */
function authorityOf(origin: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)$/i.exec(origin);
  return match?.[1]?.toLowerCase();
}
