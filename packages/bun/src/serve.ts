/**
 * `serve()`: the core handler on `Bun.serve`.
 *
 * @module
 */

import {
  accessLogEntry,
  createResponder,
  localUrl,
  type Responder,
  type RunningServer,
  type ServeOptions,
  type ServeSettings,
  serveSettings,
  tlsRefused,
  toResponse,
} from "@simplehttp/core";
import type { BunRequest, Server } from "bun";
import { answerChunked, isChunked } from "./chunked.js";
import { bunFileSystem } from "./fs.js";
import { outgoing } from "./response.js";
import { depthRoutes, loggedTarget, normalisedAway, sentTarget } from "./targets.js";

// Bun has one setting: no bytes either way for this long closes the connection. It bounds idle
// keep-alive connections and clients that stop reading mid-body (a paused download or a video with
// a full buffer come back with a Range request). Bun's default, 10 s, cuts those off too early.
// Slow headers (slowloris) need nothing more: until a request's head is complete, Bun closes the
// connection about 10 s after it opened (docs/runtimes.md#slow-clients; measured:
// docs/performance.md#measurements-behind-design-choices), however steadily bytes dribble in and
// whatever idleTimeout says; there is no option to change it. Heads over 16 KiB (a long target or
// header) get Bun's own 431 before the handler sees them.
const IDLE_TIMEOUT_SECONDS = 30;

/**
 * Serves a directory over HTTP on Bun; with `tls`, over HTTPS (HTTP/1.1: Bun 1.4.5 offers no ALPN
 * protocol unless its experimental `http2` option is on, which this adapter leaves off). Rejects
 * when the server cannot listen (the port is taken, the address is not local, …) with Bun's error,
 * whose `code` is the system's (`EADDRINUSE`, …), and when `tls` is unusable with a one-line message.
 *
 * @example
 * ```ts
 * import { serve } from "@simplehttp/bun";
 *
 * const server = await serve({ root: "./public", port: 0, hostname: "127.0.0.1" });
 * console.log(`listening on ${server.url}`);
 * await server.close();
 * ```
 */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const settings = serveSettings(options, () => process.cwd());
  const { root, port, hostname, followSymlinks, writable, onRequest, tls, fs, liveReload } = settings;
  // The watcher loads with live reload only: a server without it never parses it.
  const live = liveReload && (await (await import("@simplehttp/disk/watch")).liveReloadOf(root, liveReload.ignore));
  const respond = createResponder({
    ...settings.handler,
    fs: fs ?? bunFileSystem(root, { followSymlinks, writable }),
    liveReload: live ? live.options : undefined,
  });
  const answer = answering(respond, onRequest);
  const server = listening(live, () =>
    Bun.serve({
      // Unset, Bun binds `::` (IPv4 too, where the system allows), as Node does.
      hostname,
      port,
      idleTimeout: IDLE_TIMEOUT_SECONDS,
      // Never Bun's development error page (a stack trace) to a client, should a body fail to send.
      development: false,
      // `development: false` alone turns SO_REUSEPORT on (Bun 1.4.5): a busy port would then not fail,
      // and two servers would share it. Off, a taken port rejects with EADDRINUSE, as on Node.
      reusePort: false,
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
      // Routes see the target as sent (targets.ts): what they match is answered with its segments.
      routes: depthRoutes((request: BunRequest, server: Server<undefined>) => answer(request, server, request.params)),
      fetch: (request, server) => answer(request, server, null),
    }),
  );

  const address = boundAddress(server) ?? server.hostname ?? "::";
  const boundPort = server.port ?? port;
  return {
    url: localUrl(address, boundPort, tls ? "https" : "http"),
    hostname: address,
    port: boundPort,
    // `true` ends the open connections too, keep-alive and in-flight ones alike.
    close: () => {
      if (live) live.close();
      return server.stop(true);
    },
  };
}

type Params = Readonly<Record<string, string>>;
type Answer = (request: Request, server: Server<undefined>, params: Params | null) => Promise<Response>;

/**
 * How each request is answered: `params` are its segments as sent when a route matched it, `null`
 * when none did (see targets.ts). Logged, when `onRequest` is given, once the response is made.
 */
function answering(respond: Responder, onRequest: ServeSettings["onRequest"]): Answer {
  return async (request, server, params) => {
    const arrived = onRequest ? performance.now() : 0;
    // HTTP/1.0 may omit Host, and then Bun's request.url is only the path; the handler never reads
    // the host, so any name will do to make it absolute.
    const absolute = request.url.startsWith("/") ? new Request(`http://localhost${request.url}`, request) : request;
    const target = params === null ? undefined : sentTarget(params);
    const refused = params === null && normalisedAway(absolute.url);
    const reply = (): Promise<Response> =>
      refused
        ? Promise.resolve(toResponse(respond.refusal(400, request.method === "HEAD")))
        : handle(respond, absolute, target);
    // Bun frames a chunked body only after the answer, and may answer a bad one itself: chunked.ts.
    const response = isChunked(request) ? await answerChunked(request, reply) : await reply();
    if (response === undefined) return new Response(null, { status: 400 }); // never sent: Bun has answered
    // After any answer to CONNECT, Bun treats the connection as a tunnel and drops every later
    // request on it unanswered (oven-sh/bun#37585): close it rather than leave the client waiting.
    if (request.method === "CONNECT") response.headers.set("connection", "close");
    const answer = outgoing(request.method, response);
    if (!onRequest) return answer;
    const sent = await answer;
    onRequest(
      accessLogEntry({
        remoteAddress: server.requestIP(request)?.address,
        method: request.method,
        target: target !== undefined && params !== null ? loggedTarget(params) : targetOf(request.url),
        httpVersion: "1.1",
        requestHeaders: request.headers,
        status: sent.status,
        responseLength: sent.headers.get("content-length"),
        arrived,
      }),
    );
    return sent;
  };
}

/** The core's answer to `request` as a `Response`; `target` is its target as sent, when it matters. */
async function handle(respond: Responder, request: Request, target: string | undefined): Promise<Response> {
  return toResponse(await respond(request, target));
}

/**
 * `start()`'s server. A TLS refusal (BoringSSL's "error:0900006e:PEM routines:OPENSSL_internal:
 * NO_START_LINE", "KEY_VALUES_MISMATCH") becomes one line with its code.
 */
function listening<T>(live: { close(): void } | null, start: () => T): T {
  try {
    return start();
  } catch (error) {
    live?.close();
    const code: unknown = error instanceof Error ? Reflect.get(error, "code") : undefined;
    if (typeof code === "string" && code.startsWith("ERR_OSSL")) throw tlsRefused(error);
    throw error;
  }
}

/** The path and query of `request.url`, which Bun has already normalised (`/a/../b` is `/b`). */
function targetOf(url: string): string {
  const scheme = url.indexOf("://");
  if (scheme < 0) return url;
  const path = url.indexOf("/", scheme + 3);
  return path < 0 ? "/" : url.slice(path);
}

/** The address the system bound: `server.address` exists at run time, but @types/bun does not declare it. */
function boundAddress(server: object): string | undefined {
  const info: unknown = Reflect.get(server, "address");
  return typeof info === "object" && info !== null && "address" in info && typeof info.address === "string"
    ? info.address
    : undefined;
}
