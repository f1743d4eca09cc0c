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
import { listingETag, listingJson, listingText } from "./data.js";
import { type LruMap, lruMap } from "./lru-map.js";
import { listingPage } from "./page.js";
import { parseListingQuery } from "./query.js";
import { README_MAX_BYTES, renderReadme } from "./readme.js";
import { filterEntries, sortEntries } from "./sort.js";

/** What shapes a handler's listings, from its options. */
export interface ListingSettings {
  fs: FileSystem;
  /** The mount point, without a trailing slash: links and the JSON form's paths include it. */
  prefix: string;
  dotfiles: DotfilePolicy;
  /** Render the folder's README below the list. */
  readme: boolean;
  /** Link the folder's zip and tar downloads. */
  archiveLinks: boolean;
}

const TYPES = {
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
  text: "text/plain; charset=utf-8",
} as const;
const encoder = new TextEncoder();

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
  const answers = lruMap<string, Uint8Array<ArrayBuffer>>(RECENT_ANSWERS);
  const readmes = lruMap<string, string | null>(RENDERED_MAX);
  // What else shapes every answer of this handler, for the tag: links (the prefix), the archive
  // links, and the README.
  const settings = `${config.prefix}\0${config.archiveLinks}\0${config.readme}`;

  return async (request, resolved, search, headers, listed) => {
    const atRoot = resolved.segments.length === 0;
    // Only what can be served is listed: hidden names under the dotfile policy, and FIFOs, sockets
    // and devices (404 if asked for) stay out. `listed`: the entries, when the caller has them.
    const visible = listedEntries(listed ?? (await config.fs.readDir(resolved.path)), atRoot, config.dotfiles);
    const query = parseListingQuery(search, request.headers.get("accept"));
    // §12.5.5: the format follows Accept, so caches must key on it; the tag covers every entry
    // shown and how, so a 304 is right for as long as nothing in the folder changed.
    headers.append("vary", "Accept");
    const etag = listingETag(visible, query, settings);
    headers.set("etag", etag);
    if (evaluatePreconditions(request.headers, request.method, { etag }) === 304) return reply(304, headers);
    const head = request.method === "HEAD";
    headers.set("content-type", TYPES[query.format]);
    headers.set("x-content-type-options", "nosniff");
    if (query.format === "html") headers.set("content-security-policy", await listingPolicy());

    // The same folder asked for again as it was: its answer is the one made last time. The tag is
    // the key, and it covers every visible entry's name, kind, size and time and the query, so a
    // folder that changed in any way makes a new answer; the folder's stat pass is made every time.
    const key = `${resolved.path}\0${etag}`;
    const made = answers.get(key);
    if (made !== undefined) {
      headers.set("content-length", String(made.byteLength));
      return reply(200, headers, head ? null : made);
    }

    const entries = sortEntries(filterEntries(visible, query.q), query.sort, query.order);
    const path = `${config.prefix}/${resolved.segments.map((segment) => `${segment}/`).join("")}`;
    let chunks: Generator<string, void, undefined>;
    if (query.format === "json") {
      chunks = listingJson(
        path,
        `${config.prefix}/${resolved.segments.map((segment) => `${encodeName(segment)}/`).join("")}`,
        entries,
      );
    } else if (query.format === "text") {
      chunks = listingText(entries);
    } else {
      const readme = config.readme ? await folderReadme(config.fs, readmes, resolved, visible) : null;
      chunks = listingPage({
        prefix: config.prefix,
        segments: resolved.segments,
        entries,
        total: visible.length,
        query,
        readme,
        archive: config.archiveLinks,
      });
    }
    if (entries.length > STREAMED_ABOVE) {
      // A large folder's answer is made as it is read (no Content-Length: chunked on HTTP/1.1), so
      // the server never holds the whole page, and other requests are served between its chunks.
      return reply(200, headers, head ? null : streamOf(chunks));
    }
    const bytes = encodeAll(chunks);
    answers.set(key, bytes);
    headers.set("content-length", String(bytes.byteLength));
    return reply(200, headers, head ? null : bytes);
  };
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

/**
 * The chunks as one UTF-8 buffer. Each is encoded where it goes, into room for its worst case (3
 * bytes a UTF-16 unit): joining them first would make one string V8 must flatten whole, and
 * encoding each apart would copy every byte twice.
 */
function encodeAll(chunks: Iterable<string>): Uint8Array<ArrayBuffer> {
  let buffer = new Uint8Array(64 * 1024);
  let length = 0;
  for (const chunk of chunks) {
    if (buffer.length - length < chunk.length * 3) {
      const larger = new Uint8Array(Math.max(buffer.length * 2, length + chunk.length * 3));
      larger.set(buffer.subarray(0, length));
      buffer = larger;
    }
    length += encoder.encodeInto(chunk, buffer.subarray(length)).written;
  }
  return buffer.slice(0, length);
}

/** A byte stream of `chunks`, each made when the consumer asks for it; cancelled, it stops. */
function streamOf(chunks: Generator<string, void, undefined>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      cancel() {
        chunks.return();
      },
    },
    { highWaterMark: 0 },
  );
}

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
