/**
 * `serve()`: the core handler on `Deno.serve`.
 *
 * @module
 */
import {
  accessLogEntry,
  createHandler,
  localUrl,
  type RunningServer,
  type ServeOptions,
  serveSettings,
  tlsRefused,
} from "@simplehttp/core";
import { errorWithCode } from "./errors.ts";
import { denoFileSystem } from "./fs.ts";

/**
 * Serves a directory over HTTP on Deno (needs `--allow-net` and `--allow-read`); with `tls`, over
 * HTTPS, where Deno offers HTTP/2 and HTTP/1.1 by ALPN. Rejects when the server cannot listen (the
 * port is taken, the address is not local, …) with the system's error, whose `code` is the POSIX
 * name (`EADDRINUSE`) as on Node, and when `tls` is unusable with a one-line message.
 *
 * Timeouts: Deno.serve has no header, request or idle timeout, nor an option to set one
 * (denoland/deno#3515). A client that dribbles its headers, or connects and sends nothing, keeps
 * its connection (one descriptor, a few KiB) until it leaves; it does not delay anyone else, as
 * every connection is its own task. Over-long request lines and headers are refused by Deno itself
 * (400). Put a reverse proxy with timeouts in front when the server faces the open internet.
 *
 * Host: an HTTP/1.1 request without one is served, where RFC 9112 §3.2 wants a 400. Deno.serve
 * lets it through and hands the handler exactly what an HTTP/1.0 request without Host (which is
 * valid) gets, as it exposes no HTTP version: refusing it would refuse HTTP/1.0 clients too. Two
 * Host lines on HTTP/1.1 Deno refuses itself (400, empty body); a joined or invalid Host the core
 * refuses (400).
 *
 * @example
 * ```ts
 * import { serve } from "@simplehttp/deno";
 *
 * const server = await serve({ root: "./public", port: 0, hostname: "127.0.0.1" });
 * console.log(`listening on ${server.url}`);
 * await server.close();
 * ```
 */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const settings = serveSettings(options, () => Deno.cwd());
  const { root, port, hostname, followSymlinks, writable, onRequest, tls, fs, liveReload } = settings;
  // The watcher loads with live reload only: a server without it never parses it.
  const live = liveReload && (await (await import("./watch.ts")).liveReloadOf(root, liveReload.ignore));
  const handler = createHandler({
    ...settings.handler,
    fs: fs ?? denoFileSystem(root, { followSymlinks, writable }),
    liveReload: live ? live.options : undefined,
  });
  // Aborting ends every connection at once, as the Node adapter's closeAllConnections() does;
  // shutdown() alone waits for every unfinished response, so one stalled download holds it forever.
  const abort = new AbortController();

  const listen = (address: string): Deno.HttpServer<Deno.NetAddr> =>
    Deno.serve(
      {
        port,
        hostname: address,
        signal: abort.signal,
        onListen: () => {},
        ...(tls ? { cert: tls.cert, key: tls.key } : {}),
      },
      async (request, info) => {
        if (!onRequest) return handler(request);
        // Read up front: Deno's info.remoteAddr getter throws once the request is closed.
        const arrived = performance.now();
        const { method, headers } = request;
        const remoteAddress = info.remoteAddr.hostname;
        const asked = { remoteAddress, method, target: targetOf(request), requestHeaders: headers };
        let status = 500; // what Deno answers when the handler throws
        let responseLength: string | null = null;
        try {
          const response = await handler(request);
          status = response.status;
          responseLength = response.headers.get("content-length");
          return response;
        } finally {
          const answered = performance.now();
          // `completed` settles once the response is sent, or rejects when the client went away.
          // Deno.serve does not expose the request's HTTP version: an HTTP/1.0 request logs as 1.1.
          const exchange = { ...asked, httpVersion: "1.1", status, responseLength, arrived, answered };
          void info.completed.catch(() => {}).then(() => onRequest(accessLogEntry(exchange)));
        }
      },
    );

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    // Unset, every interface: `::` takes IPv4 too where the system allows dual-stack sockets,
    // else (no IPv6) fall back to `0.0.0.0`. Deno.serve binds synchronously, so errors throw here.
    server = hostname !== undefined ? listen(hostname) : listenAnyOf(listen);
  } catch (error) {
    if (live) live.close();
    // rustls' refusals ("No certificates found", "invalid peer certificate: BadEncoding") are a
    // plain Error or InvalidData with no `code`, where a socket's errors have one: say which
    // option they are about, on one line.
    if (
      tls &&
      error instanceof Error &&
      !("code" in error) &&
      (error instanceof Deno.errors.InvalidData || error.constructor === Error)
    ) {
      throw tlsRefused(error);
    }
    throw errorWithCode(error);
  }

  const { hostname: bound, port: boundPort } = server.addr;
  return {
    url: localUrl(bound, boundPort, tls ? "https" : "http"),
    hostname: bound,
    port: boundPort,
    close: async () => {
      if (live) live.close();
      abort.abort();
      await server.finished;
    },
  };
}

function listenAnyOf(listen: (address: string) => Deno.HttpServer<Deno.NetAddr>): Deno.HttpServer<Deno.NetAddr> {
  try {
    return listen("::");
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) throw error; // taken on IPv4 as well, most likely
    return listen("0.0.0.0");
  }
}

/**
 * The request target as sent (path and query): `request.url` after its origin. Deno builds the URL
 * from the Host header, so skip exactly that: a Host such as `a/b` must not eat into the path.
 */
function targetOf(request: Request): string {
  const { url } = request;
  const afterScheme = url.indexOf("://") + 3;
  const host = request.headers.get("host");
  if (host !== null && url.startsWith(host, afterScheme)) return url.slice(afterScheme + host.length) || "/";
  const pathStart = url.indexOf("/", afterScheme);
  return pathStart < 0 ? "/" : url.slice(pathStart);
}
