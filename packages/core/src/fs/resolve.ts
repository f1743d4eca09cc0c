/**
 * From a request's URL path to a path under the root, or a refusal.
 *
 * This is the only place that turns request bytes into filesystem names, so every rule that keeps
 * a request inside the root lives here and nowhere else.
 *
 * @module
 */
import { decodeName } from "./names.js";
import { UPLOAD_TEMP_PREFIX } from "./writes.js";

/** How dotfiles are answered: as absent (404), forbidden (403), or served. */
export type DotfilePolicy = "ignore" | "deny" | "allow";

/** A request path that may be looked up. */
export interface ResolvedPath {
  /** Decoded segments under the root, without empty ones; `[]` is the root itself. */
  segments: string[];
  /** The relative path given to the `FileSystem`: the segments joined with `/`. */
  path: string;
  /** The request path ended with `/` (asks for a directory). */
  trailingSlash: boolean;
}

/** Why a request path was refused, as the status to answer with. */
export type Refusal = 400 | 403 | 404;

/**
 * Decodes a URL path (as it appears in `new URL(request.url).pathname`) into segments.
 *
 * - Each segment is percent-decoded exactly once, after splitting on `/`, so `%2F` can never make a
 *   separator and `%252e` stays the literal name `%2e`. A malformed escape is a 400. Bytes that
 *   are not UTF-8 (`%FF`) name a file whose name is those bytes (names.ts).
 * - A segment that decodes to `.` or `..`, or holds `/`, `\` or NUL, is a 400: a browser never sends
 *   one (the URL parser removes dot segments), so only a hand-made request does, and it is refused
 *   rather than reinterpreted. Nothing can climb above the root.
 * - Empty segments (`//` runs) are dropped: they cannot name anything, nor change the root.
 * - Dot segments (`.env`, `.git/`) follow the `dotfiles` policy: 404 as if absent (`"ignore"`), 403
 *   (`"deny"`), or served (`"allow"`). A leading `.well-known` (RFC 8615) is always served.
 *
 * @example
 * ```ts
 * resolvePath("/docs/a%20b.txt", "ignore");
 * // { segments: ["docs", "a b.txt"], path: "docs/a b.txt", trailingSlash: false }
 * resolvePath("/%2e%2e/etc/passwd", "ignore"); // 400
 * resolvePath("/.env", "ignore"); // 404
 * ```
 */
export function resolvePath(pathname: string, dotfiles: DotfilePolicy): ResolvedPath | Refusal {
  const segments: string[] = [];
  let hidden = false;
  for (const raw of pathname.split("/")) {
    if (raw === "") continue;
    const name = raw.includes("%") ? decodeName(raw) : raw;
    if (name === null) return 400;
    if (name === "." || name === ".." || /[/\\\0]/.test(name)) return 400;
    if (!isVisible(name, segments.length === 0, dotfiles)) hidden = true;
    segments.push(name);
  }
  // Checked after every segment, so `/.git/%zz` is a 400 whatever the policy.
  if (hidden) return dotfiles === "deny" ? 403 : 404;
  return { segments, path: segments.join("/"), trailingSlash: pathname.endsWith("/") };
}

/** Whether a directory entry is shown and served under the dotfile policy (the root's `.well-known` is). */
export function isVisible(name: string, atRoot: boolean, dotfiles: DotfilePolicy): boolean {
  if (!name.startsWith(".")) return true;
  // A write's temporary file (fs/writes.ts) is never shown nor served, whatever the policy.
  if (name.startsWith(UPLOAD_TEMP_PREFIX)) return false;
  return dotfiles === "allow" || (atRoot && name === ".well-known");
}
