/**
 * Answers a directory with no index file: its listing as a page, JSON or text (one validator for
 * all three, so a folder polled for changes costs one stat pass); and any directory, index or not,
 * as an archive when one is asked for.
 *
 * @module
 */
import { bodyInit, type DirEntry, type FileBody, type FileSystem } from "../fs/file-system.js";
import { encodeName } from "../fs/names.js";
import { type DotfilePolicy, isVisible, type ResolvedPath } from "../fs/resolve.js";
import { evaluatePreconditions } from "../http/conditional.js";
import { type Reply, reply } from "../http/reply.js";
import { listingPolicy } from "./assets.js";
import { acceptsGzip, bufferedReply, encodeAll, type MadeAnswer, streamedReply } from "./body.js";
import { listingETag, listingJson, listingText } from "./data.js";
import { type LruMap, lruMap } from "./lru-map.js";
import { type DownloadFormat, listingPage } from "./page.js";
import { type ListingQuery, parseListingQuery } from "./query.js";
import { filterEntries, sortEntries } from "./sort.js";
import { type PageWrites, writablePolicy } from "./upload.js";

/** What shapes a handler's listings, from its options. */
export interface ListingSettings {
  fs: FileSystem;
  /** The mount point, without a trailing slash: links and the JSON form's paths include it. */
  prefix: string;
  dotfiles: DotfilePolicy;
  /** Render the folder's README below the list. */
  readme: boolean;
  /**
   * The caps of each archive format (the handler's `archive` option, and zip's own limit), whose
   * links the page offers; `null` when folder downloads are off.
   */
  downloads: DownloadCaps | null;
  /**
   * What the page lets a visitor write (the handler's `write` option): its upload tools, and rename
   * and delete per entry with `delete`; `null` when nothing may be written, and the page is the
   * read-only one.
   */
  write: PageWrites | null;
}

/** The most entries (files and folders) and bytes of files an archive of each format may hold. */
export type DownloadCaps = Readonly<Record<DownloadFormat, { maxEntries: number; maxBytes: number }>>;

const TYPES = {
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
  text: "text/plain; charset=utf-8",
} as const;

/** Answers a directory with its listing; see {@link listingServer}. */
export type ListingServer = (
  request: Request,
  resolved: ResolvedPath,
  search: string,
  headers: Headers,
  listed?: readonly DirEntry[],
) => Promise<Reply>;

// The last answers made, per handler: a folder viewed again (a reload, a refresh) costs its stat
// pass, not its page. At most 32 answers of up to 2,000 entries each (about 0.5 MiB at most).
const RECENT_ANSWERS = 32;
// Rendered READMEs, per handler: rendering costs milliseconds where the rest of a page costs
// microseconds, and a folder's page is often asked for again and again.
const RENDERED_MAX = 32;

/**
 * The listings of one handler: `(request, resolved, search, headers, listed?)` answers the
 * directory `resolved` as `search` and the `Accept` header ask. `headers` holds what every
 * response carries; `listed`, the directory's entries when already read. Made once per handler,
 * it keeps that handler's last answers and rendered READMEs.
 *
 * @example
 * ```ts
 * const serveListing = listingServer(config);
 * const answer = await serveListing(request, resolved, "?sort=size", commonHeaders());
 * ```
 */
export function listingServer(config: ListingSettings): ListingServer {
  const answers = lruMap<string, MadeAnswer>(RECENT_ANSWERS);
  const readmes = lruMap<string, string | null>(RENDERED_MAX);
  // What else shapes every answer of this handler, for the tag: links (the prefix), the archive
  // caps (which links a folder gets), the README, and the writes (the upload tools).
  const settings = [config.prefix, JSON.stringify(config.downloads), config.readme, JSON.stringify(config.write)].join(
    "\0",
  );
  const policy = config.write === null ? listingPolicy : writablePolicy;

  return async (request, resolved, search, headers, listed) => {
    const atRoot = resolved.segments.length === 0;
    // Only what can be served is listed: hidden names under the dotfile policy, and FIFOs, sockets
    // and devices (404 if asked for) stay out. `listed`: the entries, when the caller has them.
    const visible = listedEntries(listed ?? (await config.fs.readDir(resolved.path)), atRoot, config.dotfiles);
    const query = parseListingQuery(search, request.headers.get("accept"));
    // §12.5.5: the format follows Accept and the coding Accept-Encoding, so caches must key on
    // both; the tag covers every entry shown and how, so a 304 is right for as long as nothing in
    // the folder changed. One weak tag for both codings: a weak tag promises the same content, not
    // the same bytes (§8.8.1), and the gzip of a page is that page.
    headers.append("vary", "Accept, Accept-Encoding");
    const etag = listingETag(visible, query, settings);
    headers.set("etag", etag);
    if (evaluatePreconditions(request.headers, request.method, { etag }) === 304) return reply(304, headers);
    const head = request.method === "HEAD";
    const gzipped = acceptsGzip(request);
    headers.set("content-type", TYPES[query.format]);
    headers.set("x-content-type-options", "nosniff");
    if (query.format === "html") headers.set("content-security-policy", await policy());

    // The same folder asked for again as it was: its answer is the one made last time. The tag is
    // the key, and it covers every visible entry's name, kind, size and time and the query, so a
    // folder that changed in any way makes a new answer; the folder's stat pass is made every time.
    const key = `${resolved.path}\0${etag}`;
    const made = answers.get(key);
    if (made !== undefined) return bufferedReply(made, gzipped, head, headers);

    const entries = sortEntries(filterEntries(visible, query.q), query.sort, query.order);
    const chunks = await answerChunks(config, readmes, resolved, visible, entries, query);
    // A large folder's answer is streamed, and not kept: the server never holds a whole large page.
    if (entries.length > STREAMED_ABOVE) return streamedReply(chunks, gzipped, head, headers);
    const answer: MadeAnswer = { identity: encodeAll(chunks) };
    answers.set(key, answer);
    return bufferedReply(answer, gzipped, head, headers);
  };
}

/** The chunks of the answer in the format asked for: JSON, text, or the page. */
async function answerChunks(
  config: ListingSettings,
  readmes: LruMap<string, string | null>,
  resolved: ResolvedPath,
  visible: readonly DirEntry[],
  entries: readonly DirEntry[],
  query: ListingQuery,
): Promise<Generator<string, void, undefined>> {
  if (query.format === "json") {
    const path = `${config.prefix}/${resolved.segments.map((segment) => `${segment}/`).join("")}`;
    const base = `${config.prefix}/${resolved.segments.map((segment) => `${encodeName(segment)}/`).join("")}`;
    return listingJson(path, base, entries);
  }
  if (query.format === "text") return listingText(entries);
  return listingPage({
    prefix: config.prefix,
    segments: resolved.segments,
    entries,
    total: visible.length,
    query,
    readme: config.readme ? await folderReadme(config.fs, readmes, resolved, visible) : null,
    downloads: offeredDownloads(visible, config.downloads),
    write: config.write,
  });
}

/**
 * The formats whose download of the folder may be within the caps. The page knows only the
 * folder's own entries, not the tree below, so this is a bound, never the walk: a folder whose
 * own entries or own files' bytes are over a format's caps already gets no link, since the archive
 * would be refused (archive/walk.ts counts files and folders, and bytes of files, as this does).
 * A folder under the bound keeps its links, and the refusal of a deeper tree shows as a page.
 */
function offeredDownloads(visible: readonly DirEntry[], caps: DownloadCaps | null): DownloadFormat[] {
  if (caps === null) return [];
  let entries = 0;
  let bytes = 0;
  for (const { stat } of visible) {
    if (stat === null) continue;
    entries++;
    if (stat.kind === "file") bytes += stat.size;
  }
  return (["zip", "tar"] as const).filter(
    (format) => entries <= caps[format].maxEntries && bytes <= caps[format].maxBytes,
  );
}

/**
 * The entries a listing shows (and a PROPFIND, dav/propfind.ts): not the names the dotfile policy
 * hides, nor FIFOs, sockets and devices, which a GET answers 404 for.
 *
 * @example
 * ```ts
 * listedEntries(await fs.readDir("docs"), false, "ignore");
 * ```
 */
export function listedEntries(entries: readonly DirEntry[], atRoot: boolean, dotfiles: DotfilePolicy): DirEntry[] {
  return entries.filter((entry) => entry.stat?.kind !== "other" && isVisible(entry.name, atRoot, dotfiles));
}

// Up to this many entries, an answer is one buffer with its Content-Length (the common folder, and
// the fastest way to send it); above, it is streamed.
const STREAMED_ABOVE = 2000;

const README_NAMES = ["README.md", "readme.md"];
const decoder = new TextDecoder(); // not fatal: a stray byte shows as U+FFFD, the rest renders

/**
 * The folder's README (as listed: visible, a file), rendered; a note when it cannot be shown.
 * `rendered` holds READMEs rendered before, by path, size and time: one rewritten keeping its size
 * and millisecond is missed, as by the listing's own ETag.
 */
async function folderReadme(
  fs: FileSystem,
  rendered: LruMap<string, string | null>,
  resolved: ResolvedPath,
  visible: readonly DirEntry[],
): Promise<{ name: string; html: string } | null> {
  const entry = README_NAMES.map((name) => visible.find((row) => row.name === name && row.stat?.kind === "file")).find(
    (row) => row !== undefined,
  );
  if (entry?.stat == null) return null;
  // The Markdown renderer loads with the first README shown, not with the server or the first
  // listing (docs/performance.md, "What start-up loads").
  const { README_MAX_BYTES, renderReadme } = await import("./readme.js");
  const { name, stat } = entry;
  const note = (why: string) => ({ name, html: `<p class="muted">${name} ${why}.</p>` });
  if (stat.size > README_MAX_BYTES) return note(`is larger than ${README_MAX_BYTES / 1024} KiB and is not shown`);
  const path = resolved.path === "" ? name : `${resolved.path}/${name}`;
  const key = `${path}\0${stat.size}\0${stat.mtimeMs}`;
  let html = rendered.get(key);
  if (html === undefined) {
    const body =
      stat.size === 0 ? new Uint8Array(0) : await readAll(await fs.read(path, { start: 0, end: stat.size - 1 }));
    html = renderReadme(decoder.decode(body));
    rendered.set(key, html);
  }
  return html === null ? note("is too complex to show here") : { name, html };
}

/** Every byte of a file body, whatever form the adapter gave it. */
async function readAll(body: FileBody): Promise<Uint8Array> {
  return body instanceof Uint8Array ? body : new Uint8Array(await new Response(bodyInit(body)).arrayBuffer());
}
