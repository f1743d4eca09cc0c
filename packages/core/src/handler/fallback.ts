/**
 * What answers a path that names nothing: a sibling with an extension (`/about` → `about.html`),
 * a single-page app's shell, or the site's own `404.html`. Each is a file of the served tree,
 * reached through the same path checks as every request, so no fallback can show a hidden file.
 *
 * @module
 */
import type { FileStat } from "../fs/file-system.js";
import { preferredMediaType } from "../http/negotiate.js";
import type { DotfilePolicy } from "./options.js";
import { resolvePath, type ResolvedPath } from "../fs/resolve.js";

/** The fallbacks, settled at construction. */
export interface Fallbacks {
  /** Tried in order for a path that names nothing: `["html"]` serves `about.html` for `/about`. */
  extensions: readonly string[];
  /** The single-page app's file (a path under the root), or `null`. */
  spa: string | null;
  /** The page answered with every 404 (a path under the root), or `null`. */
  notFoundPage: string | null;
}

/** A file found in place of the path asked for: where, its name, and what the lookup gave for it. */
export interface Substitute<T> {
  path: string;
  name: string;
  file: T;
}

/**
 * Checks a fallback file option: a plain path under the root that the dotfile policy shows.
 * Throws a TypeError naming the option otherwise.
 */
export function fallbackPath(option: string, what: string, dotfiles: DotfilePolicy): string {
  const resolved = resolvePath(`/${option.replace(/^\/+/, "")}`, dotfiles);
  if (typeof resolved === "number" || resolved.segments.length === 0 || resolved.trailingSlash) {
    throw new TypeError(`invalid ${what}: ${JSON.stringify(option)} (expected a visible file under the root, such as "index.html")`);
  }
  return resolved.path;
}

/** Checks the `extensions` option: names without a dot or separator, written without the dot. */
export function checkedExtensions(extensions: readonly string[]): string[] {
  return extensions.map((extension) => {
    const bare = extension.replace(/^\./, "");
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(bare)) throw new TypeError(`invalid extension: ${JSON.stringify(extension)} (expected e.g. "html")`);
    return bare;
  });
}

/**
 * The file to serve for `resolved`, which names nothing: the first `<path>.<extension>` that is a
 * file, else the single-page app's shell when the request is a page load, else `null`.
 *
 * The shell is only for what a router could own: a request that accepts HTML (a browser's
 * navigation; no `Accept` at all means anything, RFC 9110 §12.5.1) for a path whose last segment
 * has no extension. A missing `/app.js` stays a 404 (an app's missing asset must fail loudly, not
 * arrive as HTML with a 200), and `/.well-known/…` (RFC 8615) is never an app's page.
 *
 * `lookup` is whatever the caller serves from (a stat, or a store's open that reads the bytes in
 * the same call), so each candidate costs one call and the one found is served as it was found.
 */
export async function substitute<T extends { stat: FileStat }>(
  fallbacks: Fallbacks,
  lookup: (path: string) => Promise<T | null>,
  request: Request,
  resolved: ResolvedPath,
): Promise<Substitute<T> | null> {
  const last = resolved.segments.at(-1);
  if (last === undefined) return null;
  // `/about/` asks for a folder: no sibling file answers it (the app's shell still may).
  for (const extension of resolved.trailingSlash ? [] : fallbacks.extensions) {
    const path = `${resolved.path}.${extension}`;
    const found = await lookup(path);
    if (found?.stat.kind === "file") return { path, name: `${last}.${extension}`, file: found };
  }
  if (fallbacks.spa === null || resolved.segments[0] === ".well-known" || last.lastIndexOf(".") > 0) return null;
  const accept = request.headers.get("accept");
  if (accept !== null && preferredMediaType(accept, ["text/html"]) === null) return null;
  const found = await lookup(fallbacks.spa);
  return found?.stat.kind === "file" ? { path: fallbacks.spa, name: fallbacks.spa.slice(fallbacks.spa.lastIndexOf("/") + 1), file: found } : null;
}
