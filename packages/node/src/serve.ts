/**
 * `serve()`: the core handler on a Node HTTP server, through `@hono/node-server`.
 *
 * @module
 */
import { createServer, type OutgoingHttpHeaders, type Server, ServerResponse } from "node:http";
import { Http2ServerResponse } from "node:http2";
import type { AddressInfo } from "node:net";
import type { Http2Bindings, HttpBindings } from "@hono/node-server";
import {
  accessLogEntry,
  createResponder,
  localUrl,
  ReplyHeaders,
  type Responder,
  type RunningServer,
  type ServeOptions,
  serveSettings,
  toResponse,
} from "@simplehttp/core";
import { NodeFileBody } from "./file-body.js";
import { fileSystemWithBodies } from "./fs.js";
import { BufferPool, type SendBuffers, sendFileBody } from "./send-file.js";
import { ANSWERS_AFTER_FIN, type Listener, secureServer } from "./tls.js";

// Slowloris: a client must finish its request head within 20 s and its whole request within
// 60 s, or Node answers 408 and closes the connection. Node only checks every
// `connectionsCheckingInterval` (30 s by default, which would let a dribbler hold a socket for
// up to 50 s); 2 s keeps the cut close to the limit for the price of a cheap periodic sweep.
// Sending a response is not bounded by these: a slow download is not a slow request. Over TLS
// they hold for HTTP/1.1 as they are, and tls.ts bounds the handshake and HTTP/2 sessions alike.
const LIMITS = { headersTimeout: 20_000, requestTimeout: 60_000, connectionsCheckingInterval: 2_000 };

/**
 * Serves a directory over HTTP on Node; with `tls`, over HTTPS, HTTP/2 or HTTP/1.1 as each client
 * prefers (ALPN). Rejects when the server cannot listen (the port is taken, the address is not
 * local, …) with the system's error, and when `tls` is unusable with a one-line message.
 *
 * @example
 * ```ts
 * import { serve } from "@simplehttp/node";
 *
 * const server = await serve({ root: "./public", port: 0, hostname: "127.0.0.1" });
 * console.log(`listening on ${server.url}`);
 * await server.close();
 * ```
 */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const settings = serveSettings(options, () => process.cwd());
  const { root, port, hostname, onRequest, followSymlinks, writable, tls, fs, handler } = settings;
  // The watcher loads with live reload only: a server without it never parses it.
  const { liveReload } = settings;
  const live = liveReload && (await (await import("@simplehttp/disk/watch")).liveReloadOf(root, liveReload.ignore));
  // Every file body deferred: writingReplies() reads each into a pooled buffer as it sends it.
  const respond = createResponder({
    ...handler,
    fs: fs ?? fileSystemWithBodies(root, { followSymlinks, writable }, 0),
    liveReload: live ? live.options : undefined,
  });
  // When each response's head was decided, and the length it gave, for the log (Node has no event
  // for a head written, nor keeps headers given to writeHead()).
  const answered = new WeakMap<object, Answered>();
  const listener = honoListener(respond, onRequest ? answered : null);
  const onEach: Listener = (incoming, outgoing) => {
    if (onRequest) {
      const arrived = performance.now();
      // Read now: once an HTTP/2 stream has closed, its request's socket no longer leads to the
      // connection, and the address would be lost.
      const { remoteAddress } = incoming.socket;
      outgoing.once("close", () => {
        const head = answered.get(outgoing);
        onRequest(
          accessLogEntry({
            remoteAddress,
            method: incoming.method ?? "-",
            target: incoming.url ?? "-",
            httpVersion: incoming.httpVersion,
            requestHeaders: { get: (name) => headerValue(incoming.headers[name]) },
            status: outgoing.statusCode,
            responseLength: head?.length,
            arrived,
            answered: head?.at,
          }),
        );
      });
    }
    listener(incoming, outgoing);
  };
  const { server, destroyConnections } = tls ? secureServer(tls, LIMITS, onEach) : plainServer(onEach);

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(port, hostname, () => {
      server.off("error", rejectListen);
      resolveListen();
    });
  }).catch((error: unknown) => {
    if (live) live.close();
    throw error;
  });

  const address = server.address() as AddressInfo;
  return {
    url: localUrl(address.address, address.port, tls ? "https" : "http"),
    hostname: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        if (live) live.close();
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        destroyConnections();
      }),
  };
}

function plainServer(listener: Listener): { server: Server; destroyConnections(): void } {
  const server = Object.assign(createServer(LIMITS, listener), ANSWERS_AFTER_FIN);
  return { server, destroyConnections: () => server.closeAllConnections() };
}

// See SendBuffers: bodies read whole keep mid-size files fast, a small own buffer keeps slow
// clients cheap, the pooled ones keep a big file fast; the budget and the pool bound the memory
// (measured: docs/performance.md#measurements-behind-design-choices).
const SEND_BUFFERS: SendBuffers = { own: 16 * 1024, pooled: 512 * 1024, poolSize: 4, wholeBudget: 16 * 1024 * 1024 };

/**
 * The request listener's fetch callback: runs the responder and writes the reply itself when it
 * can, so no `Response` is built: no body or an error page (bytes) in one write, a file from a
 * pooled buffer (see file-body.ts). A `Response` and a `ReadableStream` each cost about as much as
 * a small answer (measured: docs/performance.md#measurements-behind-design-choices). Streams the
 * core made (gzip, multipart) go through `@hono/node-server` as a `Response`, which pipes them.
 */
/** When a response's head was decided, and its Content-Length. */
interface Answered {
  at: number;
  length: string | null;
}

/**
 * The listener that hands each request to `@hono/node-server`, which makes it a `Request`. The
 * module is imported here, not with the server: importing it makes Node load undici for the fetch
 * API's globals, 20-35 ms of the start-up (docs/performance.md, "Start-up"), and a person waits
 * for the banner. It loads once the server listens; a request that comes before it is ready
 * waits for it. Should it fail to load, each request gets a bare 500 and the error is
 * printed once.
 */
function honoListener(respond: Responder, answered: WeakMap<object, Answered> | null): Listener {
  // Once the loop turns: by then serve() has listened and resolved, and a command has written its
  // banner (unless it waited on I/O first), so the import does not race the banner.
  const turned = new Promise<void>((resolve) => setImmediate(resolve));
  const modules = turned.then(() =>
    Promise.all([import("@hono/node-server"), import("@hono/node-server/utils/response")]),
  );
  const ready = modules.then(([{ getRequestListener, RequestError }, { RESPONSE_ALREADY_SENT }]) =>
    getRequestListener(writingReplies(respond, answered, RESPONSE_ALREADY_SENT), {
      // HTTP/1.0 clients may omit Host (RFC 9112 §3.2 requires it of 1.1 only); the handler never
      // reads the host, so any name will do to build request.url.
      hostname: "localhost",
      // @hono/node-server refuses a target it will not make a Request of (a raw backslash in the
      // path, RFC 9112 §3.2) before the handler runs: answered with the server's own 400 page, as
      // every other refusal is, rather than hono's bare one (no Server header, an empty chunked
      // body). Anything else here is a fault of this adapter (the core answers its own errors).
      errorHandler: (error) => {
        if (!(error instanceof RequestError)) console.error(error);
        return toResponse(respond.refusal(error instanceof RequestError ? 400 : 500, false));
      },
    }),
  );
  let loaded: ((...args: Parameters<Listener>) => Promise<unknown>) | undefined;
  ready.then(
    (listener) => {
      loaded = listener;
    },
    (error) => console.error(error),
  );
  return (incoming, outgoing) => {
    if (loaded !== undefined) void loaded(incoming, outgoing);
    else {
      ready.then(
        (listener) => listener(incoming, outgoing),
        () => {
          outgoing.statusCode = 500;
          outgoing.end();
        },
      );
    }
  };
}

function writingReplies(respond: Responder, answered: WeakMap<object, Answered> | null, alreadySent: Response) {
  const pool = new BufferPool(SEND_BUFFERS);
  return async (request: Request, env: HttpBindings | Http2Bindings): Promise<Response> => {
    // The target as sent: the Request's URL is already normalised (`/x/../a` is `/a`), and the
    // core refuses such targets instead of reinterpreting them (RFC 9112 §3.2).
    const reply = await respond(request, env.incoming.url);
    await nextTurn();
    const { body } = reply;
    const { outgoing } = env;
    answered?.set(outgoing, { at: performance.now(), length: reply.headers.get("content-length") });
    const own = outgoing instanceof ServerResponse || outgoing instanceof Http2ServerResponse;
    if (!own || (body !== null && !(body instanceof Uint8Array) && !(body instanceof NodeFileBody))) {
      return toResponse(reply);
    }
    if (outgoing instanceof ServerResponse) outgoing.writeHead(reply.status, headerList(reply.headers));
    else outgoing.writeHead(reply.status, headerRecord(reply.headers));
    if (body instanceof NodeFileBody) {
      const file = body.take();
      // Taken already (never for a fresh reply): cut the connection rather than send no body.
      if (file === undefined) outgoing.destroy();
      else sendFileBody(outgoing, file, pool);
    } else if (body instanceof Uint8Array) outgoing.end(body);
    else outgoing.end();
    return alreadySent;
  };
}

let turn: Promise<void> | null = null;

/**
 * Resolves in the loop's check phase, once every request read in this poll phase has been
 * answered: one promise for all of them. Replies wait for it, so a turn's answers leave together
 * instead of each as soon as it is decided. Each write to a waiting client wakes it, and a wake-up
 * costs the writing process more than the write; answers written back to back find the client
 * still awake (on the 2-core machine of docs/performance.md, 1 KiB answers went from 10.5k to
 * 14-15k a second, against writing each at once). A reply waits at most one turn of the loop.
 *
 * @returns the turn every reply decided before the check phase waits for
 */
function nextTurn(): Promise<void> {
  turn ??= new Promise<void>((resolve) =>
    setImmediate(() => {
      turn = null;
      resolve();
    }),
  );
  return turn;
}

/** `headers` as Node's HTTP/1 `writeHead()` takes them: name, value, name, value, … */
function headerList(headers: Headers): string[] {
  if (headers instanceof ReplyHeaders) return headers.list;
  const list: string[] = [];
  for (const [name, value] of headers) list.push(name, value);
  return list;
}

/** `headers` as Node's HTTP/2 API takes them: names lower-case (RFC 9113 §8.2.1), a repeated one as an array. */
function headerRecord(headers: Headers): OutgoingHttpHeaders {
  const record: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    const before = record[name];
    record[name] = before === undefined ? value : [before, value].flat();
  });
  return record;
}

/** One value of a Node header (a repeated one joined), or null. */
function headerValue(value: string | string[] | number | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : String(value);
}
