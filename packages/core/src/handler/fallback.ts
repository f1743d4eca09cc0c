/**
 * What answers a path that names nothing: a sibling with an extension (`/about` → `about.html`),
 * a single-page app's shell, or the site's own `404.html`. Each is a file of the served tree,
 * reached through the same path checks as every request, so no fallback can show a hidden file.
 *
 * @module
 */
import { type FileStat, releaseBody } from "../fs/file-system.js";
import type { ResolvedPath } from "../fs/resolve.js";
import { preferredMediaType } from "../http/negotiate.js";
import type { Reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import type { Fallbacks } from "./config.js";
import { setType, storedForm } from "./file-response.js";
import type { Lookup } from "./lookup.js";
import type { Site } from "./site.js";

/** The answers for a path that names nothing; see {@link missingAnswers}. */
export interface Missing {
  /** A sibling with an extension or the app's shell when one applies, else {@link Missing.notFound}. */
  answer(request: Request, resolved: ResolvedPath): Promise<Reply>;
  /** 404: with the site's own page when it has one, else the server's plain page. */
  notFound(head: boolean): Promise<Reply>;
}

/**
 * The answers of one handler for paths that name nothing, each candidate looked up the way a file
 * is (`lookup`): in a store, one call finds it with its bytes, never a HEAD then a GET.
 *
 * @param site The handler's shared parts.
 * @param lookup The handler's lookup strategy.
 * @returns The {@link Missing} answers.
 * @example
 * ```ts
 * const missing = missingAnswers(site, lookupFor(fs));
 * if (found === null) return missing.answer(request, resolved);
 * ```
 */
export function missingAnswers(site: Site, lookup: Lookup): Missing {
  const { fs, fallbacks } = site.config;
  const page = fallbacks.notFoundPage;
  const notFound = async (head: boolean): Promise<Reply> => {
    const found = page === null ? null : await lookup.page(page, head);
    if (page === null || found?.stat.kind !== "file") return site.error(STATUS.NotFound, head);
    const { stat, body } = found;
    // Typed and encoded as it is stored, like any file it serves (a 404.html uploaded gzipped).
    const { type, encoding } = storedForm(page.slice(page.lastIndexOf("/") + 1), stat, site.config.contentTypes);
    const headers = site.headers();
    setType(site.config, headers, type);
    if (encoding !== null) headers.set("content-encoding", encoding);
    headers.set("content-length", String(stat.size));
    const encoded = encoding !== null;
    if (head || stat.size === 0) {
      if (body !== null) releaseBody(body);
      return { status: STATUS.NotFound, headers, body: null, encoded };
    }
    return {
      status: STATUS.NotFound,
      headers,
      body: body ?? (await fs.read(page, { start: 0, end: stat.size - 1 }, stat)),
      encoded,
    };
  };
  return {
    async answer(request, resolved) {
      const found = await substitute(fallbacks, (path) => lookup.candidate(request, path), request, resolved);
      if (found === null) return notFound(request.method === "HEAD");
      return site.file(request, found.path, found.name, found.file);
    },
    notFound,
  };
}

/** A file found in place of the path asked for: where, its name, and what the lookup gave for it. */
export interface Substitute<T> {
  path: string;
  name: string;
  file: T;
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
  return found?.stat.kind === "file"
    ? { path: fallbacks.spa, name: fallbacks.spa.slice(fallbacks.spa.lastIndexOf("/") + 1), file: found }
    : null;
}
