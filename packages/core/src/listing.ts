/**
 * Answers a directory with no index file: its listing as a page, JSON or text (one validator for
 * all three, so a folder polled for changes costs one stat pass); and any directory, index or not,
 * as an archive when one is asked for.
 *
 * @module
 */
import { archiveReply, type ArchiveLimits } from "./archive.js";
import { evaluatePreconditions } from "./conditional.js";
import { listingPolicy } from "./listing-assets.js";
import { listingETag, listingJson, listingText } from "./listing-data.js";
import { renderListingPage } from "./listing-page.js";
import { parseListingQuery, type ArchiveFormat } from "./listing-query.js";
import { filterEntries, sortEntries } from "./listing-sort.js";
import { encodeName } from "./names.js";
import type { Config } from "./options.js";
import { reply, type Reply } from "./reply.js";
import { isVisible, type ResolvedPath } from "./resolve.js";

const TYPES = { html: "text/html; charset=utf-8", json: "application/json; charset=utf-8", text: "text/plain; charset=utf-8" } as const;
const encoder = new TextEncoder();

/**
 * The directory `resolved` as an archive of `format`, within `limits` (`config.archive`).
 *
 * @example
 * ```ts
 * if (config.archive !== null && format !== null) return serveArchive(config, config.archive, request, resolved, format, commonHeaders());
 * ```
 */
export function serveArchive(config: Config, limits: ArchiveLimits, request: Request, resolved: ResolvedPath, format: ArchiveFormat, headers: Headers): Promise<Reply> {
  return archiveReply({
    fs: config.fs,
    path: resolved.path,
    name: resolved.segments.at(-1) ?? "root",
    format,
    visible: (name, inRoot) => isVisible(name, inRoot, config.dotfiles),
    limits,
    head: request.method === "HEAD",
    headers,
  });
}

/**
 * The listing of the directory `resolved`, as `search` and the `Accept` header ask. `headers`
 * holds what every response carries.
 *
 * @example
 * ```ts
 * const answer = await serveListing(config, request, resolved, "?sort=size", commonHeaders());
 * ```
 */
export async function serveListing(config: Config, request: Request, resolved: ResolvedPath, search: string, headers: Headers): Promise<Reply> {
  const atRoot = resolved.segments.length === 0;
  // Only what can be served is listed: hidden names under the dotfile policy, and FIFOs, sockets
  // and devices (404 if asked for) stay out.
  const visible = (await config.fs.readDir(resolved.path)).filter(
    (entry) => entry.stat?.kind !== "other" && isVisible(entry.name, atRoot, config.dotfiles),
  );
  const query = parseListingQuery(search, request.headers.get("accept"));
  // §12.5.5: the format follows Accept, so caches must key on it; the tag covers every entry
  // shown and how, so a 304 is right for as long as nothing in the folder changed.
  headers.append("vary", "Accept");
  const etag = listingETag(visible, query, `${config.prefix}\0${config.archive !== null}\0${config.readme}`);
  headers.set("etag", etag);
  if (evaluatePreconditions(request.headers, request.method, { etag }) === 304) return reply(304, headers);

  const entries = sortEntries(filterEntries(visible, query.q), query.sort, query.order);
  const path = `${config.prefix}/${resolved.segments.map((segment) => `${segment}/`).join("")}`;
  let body: string;
  if (query.format === "json") {
    body = listingJson(path, `${config.prefix}/${resolved.segments.map((segment) => `${encodeName(segment)}/`).join("")}`, entries);
  } else if (query.format === "text") {
    body = listingText(entries);
  } else {
    body = renderListingPage({ prefix: config.prefix, segments: resolved.segments, entries, total: visible.length, query, readme: null, archive: config.archive !== null });
    // Nothing but the page's own style and script may run (names are escaped as well: defence in depth).
    headers.set("content-security-policy", await listingPolicy());
  }
  const bytes = encoder.encode(body);
  headers.set("content-type", TYPES[query.format]);
  headers.set("content-length", String(bytes.byteLength));
  headers.set("x-content-type-options", "nosniff");
  return reply(200, headers, request.method === "HEAD" ? null : bytes);
}
