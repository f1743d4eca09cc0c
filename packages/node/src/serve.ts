/**
 * `serve()`: the core handler on a Node HTTP server, through `@hono/node-server`.
 *
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, type HttpBindings, type Http2Bindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { pipeline } from "node:stream";
import type { Handler } from "@simplehttp/core";
import { pendingFiles, type PendingFile } from "./file-stream.js";
import { createHandler, localUrl, type RunningServer, type ServeOptions } from "@simplehttp/core";
import { nodeFileSystem } from "./fs.js";

// Slowloris: a client must finish its request head within 20 s and its whole request within
// 60 s, or Node answers 408 and closes the connection. Node only checks every
// `connectionsCheckingInterval` (30 s by default, which would let a dribbler hold a socket for
// up to 50 s); 2 s keeps the cut close to the limit for the price of a cheap periodic sweep.
// Sending a response is not bounded by these: a slow download is not a slow request.
const LIMITS = { headersTimeout: 20_000, requestTimeout: 60_000, connectionsCheckingInterval: 2_000 };

/**
 * Serves a directory over HTTP on Node. Rejects when the server cannot listen (the port is taken,
 * the address is not local, …) with the system's error.
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
  const { root = process.cwd(), port = 8000, hostname, onRequest, followSymlinks, ...handlerOptions } = options;
  const handler = createHandler({ ...handlerOptions, fs: nodeFileSystem(root, { followSymlinks }) });
  // HTTP/1.0 clients may omit Host (RFC 9112 §3.2 requires it of 1.1 only); the handler never
  // reads the host, so any name will do to build request.url.
  const listener = getRequestListener(pipingFiles(handler), { hostname: "localhost" });
  const server = createServer(LIMITS, (incoming, outgoing) => {
    if (onRequest) {
      outgoing.once("close", () =>
        onRequest({
          remoteAddress: incoming.socket.remoteAddress ?? "-",
          method: incoming.method ?? "-",
          target: incoming.url ?? "-",
          httpVersion: incoming.httpVersion,
          status: outgoing.statusCode,
          time: new Date(),
        }),
      );
    }
    void listener(incoming, outgoing);
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen(port, hostname, () => {
      server.off("error", rejectListen);
      resolveListen();
    });
  });

  const address = server.address() as AddressInfo;
  return {
    url: localUrl(address.address, address.port),
    hostname: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Runs the handler and, when its answer is one large file whose stream nobody has touched, writes
 * the head and pipes the file to the socket directly (see file-stream.ts), which is what makes
 * big files fast on Node. Multipart bodies and gzip wrap the file stream, so they go the usual way.
 */
function pipingFiles(handler: Handler) {
  return async (request: Request, env: HttpBindings | Http2Bindings): Promise<Response> => {
    const pending: PendingFile[] = [];
    const response = await pendingFiles.run(pending, () => handler(request));
    const [file] = pending;
    if (file === undefined) return response;
    if (response.status >= 400) {
      // An error after the file was opened: its body is an error page, so close the file now.
      await Promise.all(pending.map(({ web }) => (web.locked ? undefined : web.cancel())));
      return response;
    }
    if (pending.length !== 1 || file.web.locked || response.headers.get("content-type")?.startsWith("multipart/")) return response;
    const { outgoing } = env;
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    // pipeline destroys the file stream (closing the file) if the client goes away.
    pipeline(file.take(), outgoing, () => {});
    return RESPONSE_ALREADY_SENT;
  };
}

