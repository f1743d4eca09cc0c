/**
 * `serve()`: the core handler on a Node HTTP server, through `@hono/node-server`.
 *
 * @module
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, type HttpBindings, type Http2Bindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Handler } from "@simplehttp/core";
import { BufferPool, FileBodyStream, sendFileBody, type SendBuffers } from "./file-body.js";
import { BUFFERED_MAX } from "./open.js";
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
  const listener = getRequestListener(sendingFiles(handler), { hostname: "localhost" });
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

// See SendBuffers. Measured with bench/ (50 slow clients, peak RSS growth): own buffers of
// 64 KiB 9.4 MiB, 32 KiB 8.0 MiB, 16 KiB 7.3 MiB; the 100 MiB file is read with pooled buffers.
const SEND_BUFFERS: SendBuffers = { own: 16 * 1024, pooled: 512 * 1024, poolSize: 4 };

/**
 * Runs the handler and, when its answer is one large file body nobody has read, writes the head
 * and sends the file itself (see file-body.ts), which is what makes big files fast on Node.
 * Multipart bodies and gzip wrap the file stream, so they go the usual way.
 */
function sendingFiles(handler: Handler) {
  const pool = new BufferPool(SEND_BUFFERS);
  return async (request: Request, env: HttpBindings | Http2Bindings): Promise<Response> => {
    const response = await handler(request);
    // Only a response that may carry a large file is looked at: reading `body` off the
    // lightweight Response of @hono/node-server builds a real one, which small answers skip
    // (files up to BUFFERED_MAX are bytes, sent in one write by @hono/node-server).
    if (response.status !== 200 && response.status !== 206) return response;
    if (!(Number(response.headers.get("content-length")) > BUFFERED_MAX)) return response;
    const body = response.body;
    const file = body instanceof FileBodyStream ? body.take() : undefined;
    if (file === undefined) return response;
    const { outgoing } = env;
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    sendFileBody(outgoing as ServerResponse, file, pool);
    return RESPONSE_ALREADY_SENT;
  };
}
