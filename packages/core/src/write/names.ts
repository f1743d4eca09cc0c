/**
 * The names a write may create. A read serves whatever name a disk holds; a write must not make
 * a name that cannot be typed, shown or read back: control characters, a name longer than a
 * filesystem takes, or the prefix of the server's own temporary files. Each refusal says why.
 *
 * @module
 */
import { type DotfilePolicy, isVisible } from "../fs/resolve.js";
import { UPLOAD_TEMP_PREFIX } from "../fs/writes.js";

// NAME_MAX on Linux, macOS and Windows' NTFS (in UTF-16 units there: bytes are the stricter).
const MAX_NAME_BYTES = 255;
// C0 controls and DEL: a name holding one breaks terminals, logs and the listing's look.
const CONTROL = /[\x00-\x1f\x7f]/;
const utf8 = new TextEncoder();

/**
 * Why a write may not create the name `segment`, or `null` when it may. The core's path rules
 * (fs/resolve.ts) already refuse `.`, `..`, `/`, `\` and NUL.
 *
 * @param segment one decoded path segment
 * @returns a sentence for the 400 page, or `null`
 * @example
 * ```ts
 * refusedName("report.pdf");   // null
 * refusedName("a\u0007b");     // "a name may not hold control characters"
 * ```
 */
export function refusedName(segment: string): string | null {
  if (CONTROL.test(segment)) return "a name may not hold control characters";
  if (utf8.encode(segment).byteLength > MAX_NAME_BYTES) return `a name may hold at most ${MAX_NAME_BYTES} bytes`;
  if (segment.startsWith(UPLOAD_TEMP_PREFIX)) return "names starting with .simplehttp-upload- are the server's own";
  return null;
}

/**
 * Why a write may not create `segment`, a name a client gave in a header or a form rather than in
 * the request path (a form file's name, tus's `filename`, each holding `/` for a folder's relative
 * path): checked as fs/resolve.ts checks a request path's segments, then as {@link refusedName}.
 *
 * @param segment one segment of the given name
 * @param depth how deep under the root it lies (0: in the root, where `.well-known` is visible)
 * @param dotfiles the dotfile policy: a hidden name is not written
 * @returns a sentence for the 400 page, or `null`
 * @example
 * ```ts
 * refusedSegment("..", 1, "ignore");    // "a given file name is not a name"
 * refusedSegment(".env", 0, "ignore");  // "dotfiles are not written (--dotfiles allow)"
 * ```
 */
export function refusedSegment(segment: string, depth: number, dotfiles: DotfilePolicy): string | null {
  if (segment === "" || segment === "." || segment === ".." || /[\\\0]/.test(segment)) {
    return "a given file name is not a name";
  }
  if (!isVisible(segment, depth === 0, dotfiles)) return "dotfiles are not written (--dotfiles allow)";
  return refusedName(segment);
}
