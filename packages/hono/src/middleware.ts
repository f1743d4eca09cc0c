/**
 * `simplehttp()`: the core handler as a Hono middleware that knows where it is mounted.
 *
 * @module
 */
import { createResponder, type HandlerOptions, type Responder, toResponse, writeMethods } from "@simplehttp/core";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { mountOf } from "./mount.js";

/** Options of `simplehttp()`: the core's, without `prefix` (the route gives it), and two of its own. */
export interface SimplehttpOptions extends Omit<HandlerOptions, "prefix"> {
  /**
   * A path that names nothing (the core's 404): `"next"` passes the request on, so later routes
   * and then the app's `notFound` handler answer it; `"respond"` answers the 404 here, with
   * `notFoundPage` when the files have one. With `"next"`, `notFoundPage` is not used.
   * @default "next"
   * @example "respond"
   */
  onNotFound?: "next" | "respond";
  /**
   * A method other than GET, HEAD and PROPFIND, and other than the writes `write` allows: `"next"` passes
   * it on, since the app's own routes may take a POST under the same path; `"respond"` lets the
   * core answer it (405 with `Allow`, and 204 for OPTIONS). Either way, with `cors` on, a
   * preflight for a method answered here is answered here.
   *
   * With `write` on, the writes its switches allow (`PUT`, `POST`, `MKCOL`, `COPY` with
   * `upload`; `DELETE` and `MOVE` too with `delete`) are answered here, whatever this says and
   * whatever the answer (a 404 too): they are the files' own, and a write's body may be read.
   * Mount a writable middleware where the app has no routes of its own for those methods.
   * @default "next"
   * @example "respond"
   */
  onOtherMethod?: "next" | "respond";
}

// A route with a parameter before its wildcard (`/:lang/files/*`) mounts at as many prefixes as
// clients care to send: only this many handlers are kept, the least recently used dropped.
const MAX_MOUNTS = 64;

/**
 * A Hono middleware serving `options.fs` under the route it is registered on: at `/static` for
 * `app.use("/static/*", …)`, `app.use("/static/:path{.+}", …)` or the same in a sub-app mounted
 * with `app.route()`. Redirects and listings keep that mount point. A missing file, or a method
 * other than GET and HEAD, goes on to the next handler unless the options say otherwise; with
 * `write` on, the writes it allows are answered here (see `onOtherMethod`).
 *
 * @example
 * ```ts
 * import { memoryFileSystem } from "@simplehttp/core";
 * import { simplehttp } from "@simplehttp/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono();
 * app.use("/static/*", simplehttp({ fs: memoryFileSystem({ "index.html": "<h1>hi</h1>" }) }));
 * app.get("/static/*", (c) => c.text("not a file", 404));
 * ```
 * @example Receiving files under `/inbox` (the filesystem must be writable too)
 * ```ts
 * const inbox = nodeFileSystem("./inbox", { writable: true });
 * app.use("/inbox/*", simplehttp({ fs: inbox, write: { upload: true } }));
 * ```
 */
export function simplehttp(options: SimplehttpOptions): MiddlewareHandler {
  const { onNotFound = "next", onOtherMethod = "next", ...rest } = options;
  checkedChoice("onNotFound", onNotFound);
  checkedChoice("onOtherMethod", onOtherMethod);
  const passNotFound = onNotFound === "next";
  // A 404 passed on is thrown away: reading the site's 404 page for it would be wasted.
  const core: HandlerOptions = passNotFound ? { ...rest, notFoundPage: false } : rest;
  // Built now, so that a mistake in the options (a bad header) throws at startup, not per request.
  const responders = new Map<string, Responder>([["", createResponder({ ...core, prefix: "" })]]);
  const responderAt = (prefix: string): Responder | null => {
    let responder = responders.get(prefix);
    if (responder !== undefined) {
      responders.delete(prefix); // re-inserted last: the most recently used
    } else {
      try {
        responder = createResponder({ ...core, prefix });
      } catch {
        // A prefix the core cannot take (an empty segment a mid-route wildcard matched): nothing
        // here can be served under it. The options themselves were checked above, at creation.
        return null;
      }
      if (responders.size >= MAX_MOUNTS) responders.delete(responders.keys().next().value ?? "");
    }
    responders.set(prefix, responder);
    return responder;
  };

  const writes = new Set(writeMethods(rest.write));
  // PROPFIND reads as GET does (WebDAV's listing of the same files); OPTIONS stays the app's.
  const answered = new Set(["GET", "HEAD", "PROPFIND", ...writes]);

  return async (c, next) => {
    const request = c.req.raw;
    const method = request.method;
    const here =
      answered.has(method) || onOtherMethod === "respond" || (rest.cors && isPreflightFor(request, answered));
    if (!here) return next();
    const mounted = mountOf(routePath(c), c.req.path, request);
    const responder = responderAt(mounted.prefix);
    if (responder === null) return next();
    const reply = await responder(mounted.request);
    // A 404 passed on holds nothing to release: with notFoundPage off, its page is in memory.
    return reply.status === 404 && passNotFound && !writes.has(method) ? next() : toResponse(reply);
  };
}

/** A CORS preflight (Fetch standard §3.2.2) for one of `methods`, the ones the core answers here. */
function isPreflightFor(request: Request, methods: ReadonlySet<string>): boolean {
  const asked = request.headers.get("access-control-request-method");
  return request.method === "OPTIONS" && request.headers.has("origin") && asked !== null && methods.has(asked);
}

function checkedChoice(name: string, value: string): void {
  if (value !== "next" && value !== "respond")
    throw new TypeError(`invalid ${name}: ${JSON.stringify(value)} (expected "next" or "respond")`);
}
