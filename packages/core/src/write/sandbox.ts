/**
 * While writes are on, anyone who may write can put a page on the share's own origin. Opened by a
 * visitor, its scripts would run with the visitor's rights there: read what the visitor may read,
 * write with the visitor's password, change the listing's page. So a document a browser would run
 * (HTML, XHTML, SVG, XML) is sent with `Content-Security-Policy: sandbox` (CSP 3 §6.3.2.3): it
 * still shows and runs its scripts, but in an opaque origin of its own, where the share's
 * credentials do not reach and its writes are refused as cross-site (guard.ts).
 *
 * @module
 */

/** The policy: scripts, forms and pop-ups work; the share's origin is never the page's. */
export const UPLOAD_SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads";

// Types a browser renders as a document that can run script.
const ACTIVE = /^(?:text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml)(?:;|$)/i;

/**
 * Whether a file of `contentType` must be sandboxed while writes are on.
 *
 * @example
 * ```ts
 * runsAsDocument("text/html; charset=utf-8"); // true
 * runsAsDocument("image/png");                // false
 * ```
 */
export function runsAsDocument(contentType: string): boolean {
  return ACTIVE.test(contentType.trim());
}
