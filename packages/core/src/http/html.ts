/**
 * The little HTML the server writes itself: escaping, and the error pages.
 *
 * @module
 */
import { STATUS_TEXT } from "./status.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Escapes text for HTML content and for double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most names need nothing: a test is cheaper than a replace that finds nothing.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c] as string) : text;
}

/**
 * A small HTML page for an error status, with `reason`: one of the server's own sentences, never
 * anything from the request (echoing the request target into HTML is how error pages become XSS
 * vectors); escaped all the same.
 */
export function errorPage(status: number, reason?: string): string {
  const title = `${status} ${STATUS_TEXT[status] ?? "Error"}`;
  const why = reason === undefined ? "" : `<p>${escapeHtml(reason)}</p>`;
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${title}</title></head>\n` +
    `<body><h1>${title}</h1>${why}</body>\n</html>\n`
  );
}
