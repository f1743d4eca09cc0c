/**
 * The answer for a folder: the slash redirect, an archive download, the index page, or the
 * listing.
 *
 * @module
 */
import { downloadOf, formatLimits, serveArchive } from "../archive/archive.js";
import { encodeName } from "../fs/names.js";
import type { ResolvedPath } from "../fs/resolve.js";
import { type Reply, reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import type { ListingServer } from "../listing/listing.js";
import type { Missing } from "./fallback.js";
import type { Lookup } from "./lookup.js";
import type { Site } from "./site.js";

/** Answers a request for a folder: `(request, resolved, search) => reply`. */
export type DirectoryAnswer = (request: Request, resolved: ResolvedPath, search: string) => Promise<Reply>;

/**
 * The folder answers of one handler (its listings keep their recent pages, see listing.ts).
 *
 * @param site The handler's shared parts.
 * @param lookup The handler's lookup strategy, which finds the index page.
 * @param missing What answers a folder that is not there (a store's empty prefix).
 * @returns The {@link DirectoryAnswer}.
 * @example
 * ```ts
 * const directory = directoryAnswers(site, lookup, missingAnswers(site, lookup));
 * if (found?.stat.kind === "directory") return directory(request, resolved, search);
 * ```
 */
export function directoryAnswers(site: Site, lookup: Lookup, missing: Missing): DirectoryAnswer {
  const { config } = site;
  const { archive } = config;
  const downloads = archive === null ? null : { zip: formatLimits(archive, "zip"), tar: formatLimits(archive, "tar") };
  // The page offers what the writes allow, and sends no file over the cap.
  const { write } = config;
  const offered = write && { upload: write.upload, delete: write.delete, maxUploadSize: write.maxUploadSize };
  // The listing's code (its page, its scripts, the README's renderer) loads with the first folder
  // listed, not with the server (docs/performance.md, "What start-up loads").
  let listing: Promise<ListingServer> | undefined;
  const listingOf = () =>
    (listing ??= import("../listing/listing.js").then(({ listingServer }) =>
      listingServer({ ...config, downloads, write: offered }),
    ));
  return async (request, resolved, search) => {
    if (!resolved.trailingSlash) return slashRedirect(site, resolved, search);
    // A folder download is of the folder, whatever index page it has. With archives off,
    // `download` is a parameter like any other the server does not know, and ignored as they are
    // (listing/query.ts): no archive is made here, so no value can be wrong. With archives on, the
    // parameter is the server's own, and a format it does not make is the client's mistake, said
    // with a 400 (RFC 9110 §15.5.1) rather than a listing that looks like the download worked.
    const download = archive === null ? null : downloadOf(search);
    if (download === "unknown") return site.error(STATUS.BadRequest, request.method === "HEAD");
    if (archive !== null && download !== null)
      return serveArchive(config, archive, request, resolved, download, site.headers());
    const contents = await lookup.contents(request, resolved, config.index);
    if (contents === null) return missing.answer(request, resolved);
    if (contents.kind === "index") return site.file(request, contents.path, contents.name, contents.file);
    if (!config.listing) return missing.notFound(request.method === "HEAD");
    return (await listingOf())(request, resolved, search, site.headers(), contents.entries);
  };
}

/**
 * 301 to the folder's slash form: relative links in a page only work under it (Python 3 answers
 * 301 too). The Location is rebuilt from the checked segments, never copied from the request, so
 * it is always a path with exactly one leading `/`: `//evil.example/dir` cannot become an
 * off-site redirect.
 */
function slashRedirect(site: Site, resolved: ResolvedPath, search: string): Reply {
  const headers = site.headers();
  const path = resolved.segments.map(encodeName).join("/");
  headers.set("location", `${site.config.prefix}/${path}${path === "" ? "" : "/"}${search}`);
  return reply(STATUS.MovedPermanently, headers);
}
