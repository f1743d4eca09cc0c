/**
 * `createHandler()`: the static file server as one fetch handler, `(Request) => Promise<Response>`.
 *
 * A request's path through the core, in order (docs/architecture.md draws the same map):
 * 1. here: a CORS preflight (cors.ts), authentication (auth.ts), the method, the Host, the target
 *    (target.ts) and the mount prefix;
 * 2. fs/resolve.ts: the URL path to checked segments under the root, or a refusal;
 * 3. lookup.ts: what the path names, by the strategy chosen for this filesystem (disk or store);
 * 4. a file: file-response.ts (representation, validators, preconditions, ranges); a folder:
 *    directory.ts (redirect, archive, index page, listing); nothing: fallback.ts (an extension's
 *    sibling, the app's shell, the site's 404 page); a write: writes.ts; a PROPFIND: dav/;
 * 5. any error a filesystem throws: fs/errors.ts maps it to a status.
 *
 * @module
 */
import type { DavContext } from "../dav/propfind.js";
import { statusForError } from "../fs/errors.js";
import { type ResolvedPath, resolvePath } from "../fs/resolve.js";
import { type Reply, toResponse } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { isAuthority, sentPath, splitTarget, stripPrefix } from "../http/target.js";
import { liveReload } from "../live/live.js";
import type { RuleSet } from "../rules/site-rules.js";
import { resolveOptions } from "./config.js";
import { isPreflight } from "./cors.js";
import { directoryAnswers } from "./directory.js";
import { missingAnswers } from "./fallback.js";
import { storedForm } from "./file-response.js";
import { lookupFor } from "./lookup.js";
import type { HandlerOptions } from "./options.js";
import { type Site, siteOf } from "./site.js";
import { type RuleSteps, ruleSteps } from "./site-rules.js";
import { writeAnswers } from "./writes.js";

/** A fetch handler: the shape every runtime's server (and Hono, and workers) can call. */
export type Handler = (request: Request) => Promise<Response>;

/** The handler's decision, not yet a `Response`: for a server that writes replies itself. */
export interface Responder {
  /**
   * Answers `request`. `target` is its request target exactly as the client sent it (RFC 9112
   * §3.2), for a runtime whose `Request` already normalised the URL: Node's and Bun's resolve
   * `/x/../a` to `/a` and read `\` as `/`, which this server refuses (400), never reinterprets.
   * Given, its path is the one resolved; `request.url` still gives everything else.
   */
  (request: Request, target?: string): Promise<Reply>;
  /**
   * The server's own error page for `status`, for a request the runtime refused before a
   * `Request` could be made of it: every refusal the server decides looks the same.
   */
  refusal(status: number, head: boolean): Reply;
}

/**
 * Creates the fetch handler that serves `options.fs`.
 *
 * @param options The handler's options; `fs` is required.
 * @returns The fetch handler.
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
 * runtime's own server may write a reply without building a `Response` (see http/reply.ts); any
 * other caller wants createHandler.
 *
 * @param options The handler's options; `fs` is required.
 * @returns The responder.
 * @example
 * ```ts
 * const respond = createResponder({ fs: memoryFileSystem({ "a.txt": "a" }) });
 * const { status, headers, body } = await respond(new Request("http://localhost/a.txt"));
 * ```
 */
export function createResponder(options: HandlerOptions): Responder {
  const site = siteOf(resolveOptions(options));
  const { config } = site;
  const lookup = lookupFor(config.fs);
  const missing = missingAnswers(site, lookup);
  const directory = directoryAnswers(site, lookup, missing);
  const write = writeAnswers(site);
  const dav = davContext(site);
  const live = liveReload(options.liveReload, config.prefix, site.headers);
  const rules = ruleSteps(site);

  /** What `resolved` names, answered: a file, a folder, or what answers a path that names nothing. */
  const answer = async (request: Request, resolved: ResolvedPath, search: string): Promise<Reply> => {
    const found = await lookup.locate(request, resolved);
    const kind = found?.stat.kind;
    if (found && kind === "file" && !resolved.trailingSlash) {
      return site.file(request, resolved.path, resolved.segments.at(-1) ?? "", found);
    }
    if (kind === "directory") return directory(request, resolved, search);
    // `/a.txt/` (a file asked for as a folder) names nothing; nor does a FIFO or a socket.
    return found === null ? missing.answer(request, resolved) : missing.notFound(request.method === "HEAD");
  };

  const handle = async (request: Request, target: string | undefined, set: RuleSet | null): Promise<Reply> => {
    const { method } = request;
    const head = method === "HEAD";
    if (config.preflight !== null && isPreflight(request)) return preflight(site, true);
    // The target as sent, when the runtime gives it (origin-form `/path?query` or absolute-form
    // `http://host/path`, RFC 9112 §3.2); else the URL the runtime made.
    const { pathname, search } = sentPath(target) ?? splitTarget(request.url);
    const writing = write.takes(method, search);
    const refusal = authRefusal(site, request, writing);
    const refused = refusal instanceof Promise ? await refusal : refusal;
    if (refused !== null) return refused;
    if (method === "OPTIONS") return preflight(site, false, write.options);
    if (method !== "GET" && !head && method !== "PROPFIND" && !writing) {
      const headers = site.headers();
      headers.set("allow", config.allow);
      return site.error(STATUS.MethodNotAllowed, false, headers);
    }
    const host = request.headers.get("host");
    if (host !== null && !isAuthority(host)) return site.error(STATUS.BadRequest, head);
    const local = stripPrefix(pathname, config.prefix);
    if (local === undefined) return site.error(STATUS.NotFound, head);
    const stream = live?.stream(request, local);
    if (stream) return stream;
    if (writing) return write(request, local, search);
    // WebDAV's XML reader loads with the first PROPFIND, not with the server (docs/performance.md).
    if (method === "PROPFIND") return (await import("../dav/propfind.js")).propfind(dav, request, local);
    let resolved = resolvePath(local, config.dotfiles);
    // The site's redirects apply before its files (as on Cloudflare), to paths the server accepts.
    if (set !== null && typeof resolved !== "number") {
      const redirected = (rules as RuleSteps).redirect(request, local, search, set);
      if (redirected !== null && typeof redirected === "object" && "status" in redirected) return redirected;
      if (redirected !== null) resolved = redirected;
    }
    if (resolved === STATUS.NotFound) return missing.notFound(head);
    if (typeof resolved === "number") return site.error(resolved, head);
    return answer(request, resolved, search);
  };

  const respond = async (request: Request, target?: string): Promise<Reply> => {
    let set: RuleSet | null = null;
    let answered: Reply;
    try {
      // The site's rules as they are now, before anything is answered: a redirect goes before files.
      if (rules !== null) set = rules.atOnce() ?? (await rules.load());
      answered = await handle(request, target, set);
    } catch (thrown) {
      answered = failure(site, request, thrown);
    }
    // The site's headers go on the final reply, whatever answered it.
    return set === null ? answered : (rules as RuleSteps).finish(request, target, set, answered);
  };
  // Live reload's script goes into pages last, into the reply every other step has made (live/inject.ts).
  const final = live === null ? respond : live.replies(respond);
  return Object.assign(final, { refusal: (status: number, head: boolean) => site.error(status, head) });
}

/**
 * 204 with `Allow` (and `more`); with the preflight's headers when `request` is a CORS preflight.
 * `DAV: 1` says this is a WebDAV server of class 1 (RFC 4918 §10.1, §18.1): PROPFIND, and the
 * writes the switches allow, but no LOCK (class 2), which rclone and cadaver do without.
 */
function preflight(site: Site, cors: boolean, more: readonly (readonly [string, string])[] = []): Reply {
  const headers = site.headers();
  headers.set("allow", site.config.allow);
  headers.set("dav", "1");
  if (cors) for (const [name, value] of site.config.preflight ?? []) headers.set(name, value);
  for (const [name, value] of more) headers.set(name, value);
  return { status: STATUS.NoContent, headers, body: null, encoded: false };
}

/** What a PROPFIND needs of the handler: its settings, and what a GET of a file would name its type. */
function davContext({ config, headers, error }: Site): DavContext {
  const { fs, prefix, dotfiles, listing, contentTypes } = config;
  return {
    fs,
    prefix,
    dotfiles,
    listing,
    typeOf: (name, stat) => storedForm(name, stat, contentTypes).type,
    headers,
    error,
  };
}

/**
 * 401 with the challenge when authentication is on and the request's credentials are not valid.
 * Null at once, not a promise, when nothing is to be checked: a request that waits for nothing
 * here is not made to wait a microtask for it.
 */
function authRefusal(site: Site, request: Request, writing: boolean): Reply | null | Promise<Reply | null> {
  const { auth } = site.config;
  if (auth === null || (auth.publicRead && !writing)) return null;
  return auth.verify(request.headers.get("authorization")).then((user) => {
    if (user !== null) return null;
    const headers = site.headers();
    headers.set("www-authenticate", auth.challenge);
    return site.error(STATUS.Unauthorized, request.method === "HEAD", headers);
  });
}

/**
 * The answer for an error thrown while answering: its status (fs/errors.ts), else a plain 500.
 * Every 5xx is the server failing, which whoever runs it must hear of (onError): a bug (500), a
 * store down or hanging (502, 504), descriptors run out (503). A 4xx is an answer, not a failure.
 */
function failure(site: Site, request: Request, thrown: unknown): Reply {
  const status = statusForError(thrown) ?? STATUS.InternalServerError;
  if (status >= 500) site.config.onError(thrown, request);
  const headers = site.headers();
  // Out of descriptors is passing: tell the client when to come back (RFC 9110 §10.2.3).
  if (status === STATUS.ServiceUnavailable) headers.set("retry-after", "1");
  return site.error(status, request.method === "HEAD", headers);
}
