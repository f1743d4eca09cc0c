/**
 * The hash source of an inline script or style, for a Content-Security-Policy: the listing's
 * policy and live reload's script both allow theirs by it.
 *
 * @module
 */

/**
 * `'sha256-…'` of `text`, for a Content-Security-Policy source (CSP 3 §8.4).
 *
 * @example await sha256Source("alert(1)") // "'sha256-…'"
 */
export async function sha256Source(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `'sha256-${btoa(binary)}'`;
}
