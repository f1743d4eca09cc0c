/**
 * `createHandler()`: the static file server as one fetch handler, `(Request) => Promise<Response>`.
 *
 * This module only routes: which method, which path, file or directory. Each HTTP concern (path
 * safety, validators, ranges, negotiation, listings) lives in a module of its own.
 *
 * @module
 */
import { statusForError } from "../fs/errors.js";
import { serveFile, storedForm } from "./file-response.js";
import { substitute } from "./fallback.js";
import type { DirEntry, OpenedFile, RangeHint } from "../fs/file-system.js";
import { errorPage } from "../http/html.js";
import { downloadOf } from "../listing/query.js";
import { listingServer, serveArchive } from "../listing/listing.js";
import { encodeName } from "../fs/names.js";
import { resolveOptions, type HandlerOptions } from "./options.js";
import { reply, toResponse, type Reply } from "../http/reply.js";
import { rangeHint } from "../http/range.js";
import { resolvePath, type ResolvedPath } from "../fs/resolve.js";

/** A fetch handler: the shape every runtime's server (and Hono, and workers) can call. */
export type Handler = (request: Request) => Promise<Response>;

/** The handler's decision, not yet a `Response`: for a server that writes replies itself. */
export type Responder = (request: Request) => Promise<Reply>;

// RFC 9110 §9.1: GET and HEAD are what a read-only resource supports; OPTIONS describes them.
const ALLOW = "GET, HEAD, OPTIONS";
const HTML = "text/html; charset=utf-8";
const encoder = new TextEncoder();

/**
 * Creates the fetch handler that serves `options.fs`.
 *
 * @example
 * ```ts
 * import { createHandler, memoryFileSystem } from "@simplehttp/core";
 *
 * const handler = createHandler({ fs: memoryFileSystem({ "index.html": "<h1>hi</h1>" }) });
 * const response = await handler(new Request("http://localhost/"));
 * ```
 */
export function createHandler(options: HandlerOptions): Handler {
  const respond = createResponder(options);
  return async (request) => toResponse(await respond(request));
}

/**
 * The handler as a {@link Responder}: the same decisions as {@link createHandler}, as replies. A
 * runtime's own server may write a reply without building a `Response` (see reply.ts); any other
 * caller wants createHandler.
 *
 * @example
 * ```ts
 * const respond = createResponder({ fs: memoryFileSystem({ "a.txt": "a" }) });
 * const { status, headers, body } = await respond(new Request("http://localhost/a.txt"));
 * ```
 */
export function createResponder(options: HandlerOptions): Responder {
  const config = resolveOptions(options);
  const { fs, dotfiles, prefix } = config;
  const serveListing = listingServer(config);

  const commonHeaders = (): Headers => {
    const headers = new Headers();
    for (const [name, value] of config.common) headers.append(name, value);
    return headers;
  };

  const errorPages = new Map<number, Uint8Array<ArrayBuffer>>();
  const error = (status: number, head: boolean, headers = commonHeaders()): Reply => {
    let page = errorPages.get(status);
    if (!page) errorPages.set(status, (page = encoder.encode(errorPage(status))));
    headers.set("content-type", HTML);
    headers.set("content-length", String(page.byteLength));
    return reply(status, headers, head ? null : page);
  };

  // A path that names nothing: the site's own 404 page when it has one, else the plain one. A
  // store finds the page and its bytes in one call.
  const notFound = async (head: boolean): Promise<Reply> => {
    const page = config.fallbacks.notFoundPage;
    const found = page === null ? null : await fileAt(page, head, undefined, true);
    if (page === null || found?.stat.kind !== "file") return error(404, head);
    const { stat, body } = found;
    // Typed and encoded as it is stored, like any file it serves (a 404.html uploaded gzipped).
    const { type, encoding } = storedForm(page.slice(page.lastIndexOf("/") + 1), stat);
    const headers = commonHeaders();
    headers.set("content-type", type);
    if (encoding !== null) headers.set("content-encoding", encoding);
    headers.set("content-length", String(stat.size));
    const encoded = encoding !== null;
    if (head || stat.size === 0) return { status: 404, headers, body: null, encoded };
    return { status: 404, headers, body: body ?? (await fs.read(page, { start: 0, end: stat.size - 1 })), encoded };
  };

  // Object storage (fs.open), chosen once: a GET finds a file and its bytes in one call, and a
  // folder's index page is looked for in its listing (one `list` call) rather than asked for by
  // each index name. A disk's stat and read are cheaper apart, and its folders are not prefixes.
  const open = fs.open?.bind(fs);
  const fileAt = async (path: string, head: boolean, hint?: RangeHint, filesOnly = false): Promise<OpenedFile | null> => {
    if (open === undefined || head) {
      const stat = await fs.stat(path);
      return stat === null ? null : { stat, body: null, range: null };
    }
    return open(path, hint, filesOnly);
  };
  // With If-Range the store's range may not be the one to send: it reads whole, and the core reads
  // the range again if it applies (rare: resumed downloads of a changed file). Several ranges (no
  // hint) are read part by part after a metadata call: a whole read first would be thrown away.
  const fileOf = (request: Request, path: string, filesOnly = false): Promise<OpenedFile | null> => {
    const range = request.headers.get("range");
    const hint = request.headers.has("if-range") ? undefined : rangeHint(range);
    return fileAt(path, request.method === "HEAD" || (range !== null && hint === undefined), hint, filesOnly);
  };
  const serveOpened = (request: Request, path: string, name: string, opened: OpenedFile): Promise<Reply> =>
    serveFile(config, request, { path, name, stat: opened.stat }, commonHeaders(), (s, h) => error(s, request.method === "HEAD", h), opened);

  /** A folder in a store: one list call, then its index page or its listing. */
  const serveStoredDirectory = async (request: Request, resolved: ResolvedPath, search: string): Promise<Reply> => {
    let entries: DirEntry[];
    try {
      entries = await fs.readDir(resolved.path);
    } catch (thrown) {
      // No key under this prefix: nothing is there.
      if (statusForError(thrown) !== 404) throw thrown;
      return answerMissing(request, resolved);
    }
    for (const name of config.index) {
      if (!entries.some((entry) => entry.name === name && entry.stat?.kind === "file")) continue;
      const path = resolved.path === "" ? name : `${resolved.path}/${name}`;
      const opened = await fileOf(request, path, true);
      if (opened?.stat.kind === "file") return serveOpened(request, path, name, opened);
    }
    if (!config.listing) return notFound(request.method === "HEAD");
    return serveListing(request, resolved, search, commonHeaders(), entries);
  };

  /** A path that names nothing: an extension's sibling or an app's shell (fallback.ts), else 404. */
  const answerMissing = async (request: Request, resolved: ResolvedPath): Promise<Reply> => {
    // Each candidate is looked for the way a file is (one open in a store: never a HEAD, then a
    // list when it misses, then a GET), and the one found is served from that same call.
    const found = await substitute(config.fallbacks, (path) => fileOf(request, path, true), request, resolved);
    return found === null ? notFound(request.method === "HEAD") : serveOpened(request, found.path, found.name, found.file);
  };

  const serveDirectory = async (request: Request, resolved: ResolvedPath, search: string): Promise<Reply> => {
    if (!resolved.trailingSlash) {
      // Relative links in a page only work under the slash form (Python 3 answers 301 too). The
      // Location is rebuilt from the checked segments, never copied from the request, so it is
      // always a path with exactly one leading `/`: `//evil.example/dir` cannot become an
      // off-site redirect.
      const headers = commonHeaders();
      const path = resolved.segments.map(encodeName).join("/");
      headers.set("location", `${prefix}/${path}${path === "" ? "" : "/"}${search}`);
      return reply(301, headers);
    }
    // A folder download is of the folder, whatever index page it has.
    const download = config.archive !== null ? downloadOf(search) : null;
    if (download !== null && config.archive !== null) return serveArchive(config, config.archive, request, resolved, download, commonHeaders());
    if (open !== undefined) return serveStoredDirectory(request, resolved, search);
    for (const name of config.index) {
      const path = resolved.path === "" ? name : `${resolved.path}/${name}`;
      const stat = await fs.stat(path);
      if (stat?.kind === "file") return serveOpened(request, path, name, { stat, body: null, range: null });
    }
    if (!config.listing) return notFound(request.method === "HEAD");
    return serveListing(request, resolved, search, commonHeaders());
  };

  // A CORS preflight (Fetch standard §3.2.2) is an OPTIONS with Origin and the method to come.
  const isPreflight = (request: Request): boolean =>
    config.preflight !== null && request.headers.has("origin") && request.headers.has("access-control-request-method");

  const preflight = (request: Request): Reply => {
    const headers = commonHeaders();
    headers.set("allow", ALLOW);
    if (config.preflight && isPreflight(request)) for (const [name, value] of config.preflight) headers.set(name, value);
    return reply(204, headers);
  };

  const handle = async (request: Request): Promise<Reply> => {
    const method = request.method;
    const head = method === "HEAD";
    // Browsers send a CORS preflight without credentials (Fetch standard §4.8): it is answered
    // before authentication, and says nothing about the files.
    if (method === "OPTIONS" && isPreflight(request)) return preflight(request);
    if (config.auth !== null && (await config.auth.verify(request.headers.get("authorization"))) === null) {
      const headers = commonHeaders();
      headers.set("www-authenticate", config.auth.challenge);
      return error(401, head, headers);
    }
    if (method !== "GET" && !head) {
      if (method === "OPTIONS") return preflight(request);
      const headers = commonHeaders();
      headers.set("allow", ALLOW);
      return error(405, false, headers);
    }
    // The Host never steers anything here (paths and redirects ignore it), but one that cannot be
    // an authority (RFC 9112 §3.2: uri-host [":" port]) is a malformed request, and on runtimes
    // that build request.url from it, it may have mangled the URL: refuse it.
    const host = request.headers.get("host");
    if (host !== null && /[\s/\\@?#]/.test(host)) return error(400, head);
    const { pathname, search } = splitTarget(request.url);
    const local = stripPrefix(pathname, prefix);
    if (local === undefined) return error(404, head);
    const resolved = resolvePath(local, dotfiles);
    if (typeof resolved === "number") return resolved === 404 ? notFound(head) : error(resolved, head);
    const name = resolved.segments.at(-1) ?? "";
    // In a store, `dir/` is a prefix (listed, never stat'ed) and a file is found with its bytes.
    if (open !== undefined && resolved.trailingSlash) return serveDirectory(request, resolved, search);
    let stat;
    if (open !== undefined && name !== "") {
      const opened = await fileOf(request, resolved.path);
      if (opened?.stat.kind === "file") return serveOpened(request, resolved.path, name, opened);
      stat = opened?.stat ?? null;
    } else {
      stat = await fs.stat(resolved.path);
    }
    if (stat?.kind === "directory") return serveDirectory(request, resolved, search);
    if (stat?.kind === "file" && !resolved.trailingSlash) return serveOpened(request, resolved.path, name, { stat, body: null, range: null });
    // Nothing there (a file asked for as a directory, `/a.txt/`, names nothing; nor does a FIFO).
    return stat === null ? answerMissing(request, resolved) : notFound(head);
  };

  return async (request) => {
    try {
      return await handle(request);
    } catch (thrown) {
      const head = request.method === "HEAD";
      const status = statusForError(thrown);
      if (status === undefined) {
        config.onError(thrown, request);
        return error(500, head);
      }
      const headers = commonHeaders();
      // Out of descriptors is passing: tell the client when to come back (RFC 9110 §10.2.3).
      if (status === 503) headers.set("retry-after", "1");
      return error(status, head, headers);
    }
  };
}

/** The path under `prefix` (`/static/a` → `/a`, `/static` → `""`), or undefined outside it. */
function stripPrefix(pathname: string, prefix: string): string | undefined {
  if (prefix === "") return pathname;
  if (!pathname.startsWith(prefix)) return undefined;
  const rest = pathname.slice(prefix.length);
  return rest === "" || rest.startsWith("/") ? rest : undefined;
}

/**
 * The path and query of an absolute URL, without building a `URL` object: `request.url` is
 * already absolute and serialised, and the Host it carries must not matter (nor make a parser
 * throw). The fragment, which a client should never send, is dropped.
 */
function splitTarget(url: string): { pathname: string; search: string } {
  const authority = url.indexOf("//");
  let start = url.indexOf("/", authority < 0 ? 0 : authority + 2);
  if (start < 0) start = url.length;
  let end = url.length;
  const hash = url.indexOf("#", start);
  if (hash >= 0) end = hash;
  const query = url.indexOf("?", start);
  if (query >= 0 && query < end) return { pathname: url.slice(start, query) || "/", search: url.slice(query, end) };
  return { pathname: url.slice(start, end) || "/", search: "" };
}
