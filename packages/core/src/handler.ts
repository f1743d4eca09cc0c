/**
 * `createHandler()`: the static file server as one fetch handler, `(Request) => Promise<Response>`.
 *
 * This module only orchestrates: which path, which file, which status. Each HTTP concern (path
 * safety, validators, listings, media types) lives in a module of its own.
 *
 * @module
 */
import { contentType } from "./content-type.js";
import { statusForError } from "./errors.js";
import type { FileStat, FileSystem } from "./fs.js";
import { errorPage } from "./html.js";
import { formatHttpDate, parseHttpDate, toSeconds } from "./http-date.js";
import { renderListing, sortEntries } from "./listing.js";
import { isVisible, resolvePath, type ResolvedPath } from "./resolve.js";
import { VERSION } from "./version.js";

/** Options of {@linkcode createHandler}. */
export interface HandlerOptions {
  /** Where files come from: `nodeFileSystem(root)`, `memoryFileSystem({...})`, or any {@linkcode FileSystem}. */
  fs: FileSystem;
  /**
   * File names served for a directory, tried in order. `[]` turns index files off.
   * @default ["index.html", "index.htm"]
   * @example ["index.html"]
   */
  index?: readonly string[];
  /**
   * Answer a directory that has no index file with an HTML listing of its entries; when false,
   * such a directory is a 404.
   * @default true
   * @example false
   */
  listing?: boolean;
  /**
   * Serve and list dotfiles and dot-directories (`.env`, `.git/`). When false they answer 404 and
   * are left out of listings, except `/.well-known/` (RFC 8615).
   * @default false
   * @example true
   */
  dotfiles?: boolean;
  /**
   * The `Server` header, or `false` to send none.
   * @default `simplehttp/${VERSION}`
   * @example false
   */
  server?: string | false;
  /**
   * Told of every unexpected error (the request is then answered with a plain 500, no details).
   * @default logs the error with `console.error`
   * @example (error, request) => sentry.captureException(error, { extra: { url: request.url } })
   */
  onError?: (error: unknown, request: Request) => void;
}

/** A fetch handler: the shape every runtime's server (and Hono, and workers) can call. */
export type Handler = (request: Request) => Promise<Response>;

// RFC 9110 §9.1: GET and HEAD are the methods a read-only resource supports.
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
  // Everything that depends only on the options is settled here, once, not per request.
  const fs = options.fs;
  const indexNames = [...(options.index ?? ["index.html", "index.htm"])];
  const listing = options.listing ?? true;
  const dotfiles = options.dotfiles ?? false;
  const server = options.server === undefined ? `simplehttp/${VERSION}` : options.server;
  const onError = options.onError ?? ((error: unknown) => console.error(error));

  const baseHeaders = (): Headers => {
    const headers = new Headers();
    if (server !== false) headers.set("server", server);
    return headers;
  };

  const errorPages = new Map<number, Uint8Array<ArrayBuffer>>();
  const error = (status: number, head: boolean, extra?: Record<string, string>): Response => {
    let page = errorPages.get(status);
    if (!page) errorPages.set(status, (page = encoder.encode(errorPage(status))));
    const headers = baseHeaders();
    headers.set("content-type", HTML);
    headers.set("content-length", String(page.byteLength));
    for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value);
    return new Response(head ? null : page, { status, headers });
  };

  const serveFile = async (request: Request, path: string, name: string, stat: FileStat): Promise<Response> => {
    const headers = baseHeaders();
    // RFC 9110 §8.8.2.1: a Last-Modified later than the response's Date must be replaced by the Date.
    const lastModified = Math.min(stat.mtimeMs, Date.now());
    headers.set("last-modified", formatHttpDate(lastModified));
    // RFC 9110 §13.1.3: If-Modified-Since is evaluated only for GET/HEAD, and ignored when the
    // request also has If-None-Match (which takes precedence once entity tags exist).
    const ifModifiedSince = request.headers.get("if-modified-since");
    if (ifModifiedSince !== null && !request.headers.has("if-none-match")) {
      const since = parseHttpDate(ifModifiedSince);
      if (since !== undefined && toSeconds(lastModified) <= toSeconds(since)) {
        return new Response(null, { status: 304, headers });
      }
    }
    headers.set("content-type", contentType(name));
    headers.set("content-length", String(stat.size));
    const body = request.method === "HEAD" || stat.size === 0 ? null : await fs.read(path, { start: 0, end: stat.size - 1 });
    return new Response(body, { status: 200, headers });
  };

  const serveListing = async (request: Request, resolved: ResolvedPath): Promise<Response> => {
    const atRoot = resolved.segments.length === 0;
    const entries = (await fs.readDir(resolved.path)).filter((entry) => isVisible(entry.name, atRoot, dotfiles));
    const title = atRoot ? "/" : `/${resolved.path}/`;
    const page = encoder.encode(renderListing(title, sortEntries(entries), !atRoot));
    const headers = baseHeaders();
    headers.set("content-type", HTML);
    headers.set("content-length", String(page.byteLength));
    return new Response(request.method === "HEAD" ? null : page, { status: 200, headers });
  };

  const serveDirectory = async (request: Request, resolved: ResolvedPath, search: string): Promise<Response> => {
    if (!resolved.trailingSlash) {
      // Relative links in a page only work under the slash form (Python 3 answers 301 too). The
      // Location is rebuilt from the checked segments, never copied from the request, so it is
      // always a path with exactly one leading `/`: `//evil.example/dir` cannot become an
      // off-site redirect.
      const location = `/${resolved.segments.map(encodeURIComponent).join("/")}/${search}`;
      const headers = baseHeaders();
      headers.set("location", location);
      return new Response(null, { status: 301, headers });
    }
    for (const indexName of indexNames) {
      const path = resolved.path === "" ? indexName : `${resolved.path}/${indexName}`;
      const stat = await fs.stat(path);
      if (stat?.kind === "file") return serveFile(request, path, indexName, stat);
    }
    if (!listing) return error(404, request.method === "HEAD");
    return serveListing(request, resolved);
  };

  const handle = async (request: Request): Promise<Response> => {
    const method = request.method;
    const head = method === "HEAD";
    if (method !== "GET" && !head) {
      if (method === "OPTIONS") {
        const headers = baseHeaders();
        headers.set("allow", ALLOW);
        return new Response(null, { status: 204, headers });
      }
      return error(405, false, { allow: ALLOW });
    }
    const { pathname, search } = splitTarget(request.url);
    const resolved = resolvePath(pathname, dotfiles);
    if (typeof resolved === "number") return error(resolved, head);
    const stat = await fs.stat(resolved.path);
    if (stat?.kind === "directory") return serveDirectory(request, resolved, search);
    // A file asked for as a directory (`/a.txt/`) names nothing; neither does a FIFO or device.
    if (stat?.kind !== "file" || resolved.trailingSlash) return error(404, head);
    return serveFile(request, resolved.path, resolved.segments.at(-1) ?? "", stat);
  };

  return async (request) => {
    try {
      return await handle(request);
    } catch (thrown) {
      const status = statusForError(thrown);
      if (status !== undefined) return error(status, request.method === "HEAD", status === 503 ? { "retry-after": "1" } : undefined);
      onError(thrown, request);
      return error(500, request.method === "HEAD");
    }
  };
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
