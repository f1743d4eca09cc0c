/**
 * `serve()`: the core handler on a Node HTTP server, through `@hono/node-server`.
 *
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createHandler, type AccessLogEntry, type HandlerOptions } from "@simplehttp/core";
import { nodeFileSystem } from "./fs.js";

/** Options of {@linkcode serve}: the handler's options, with a directory in place of `fs`. */
export interface ServeOptions extends Omit<HandlerOptions, "fs"> {
  /**
   * The directory to serve.
   * @default process.cwd()
   * @example "./public"
   */
  root?: string;
  /**
   * The TCP port; `0` lets the system pick a free one (read it back from the result).
   * @default 8000
   * @example 0
   */
  port?: number;
  /**
   * The address to bind. Unset, the server listens on every interface (`::`, which also takes
   * IPv4 where the system allows, else `0.0.0.0`), as `python -m http.server` does.
   * @default undefined (all interfaces)
   * @example "127.0.0.1"
   */
  hostname?: string;
  /**
   * Called once per answered request, when the response is done (`formatAccessLog` turns the
   * entry into the seed's log line).
   * @default undefined (no log)
   * @example (entry) => console.error(formatAccessLog(entry))
   */
  onRequest?: (entry: AccessLogEntry) => void;
}

/** A running server. */
export interface RunningServer {
  /** A URL a client on this machine can use: `http://127.0.0.1:8000/`, `http://localhost:8000/` when bound to all interfaces. */
  url: string;
  /** The address actually bound, as the system reports it (`::`, `0.0.0.0`, `127.0.0.1`). */
  hostname: string;
  /** The port actually bound (useful with port 0). */
  port: number;
  /** Stops accepting connections, ends the open ones, and resolves once the server is closed. */
  close(): Promise<void>;
}

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
  const { root = process.cwd(), port = 8000, hostname, onRequest, ...handlerOptions } = options;
  const handler = createHandler({ ...handlerOptions, fs: nodeFileSystem(root) });
  // HTTP/1.0 clients may omit Host (RFC 9112 §3.2 requires it of 1.1 only); the handler never
  // reads the host, so any name will do to build request.url.
  const listener = getRequestListener(handler, { hostname: "localhost" });
  const server = createServer((incoming, outgoing) => {
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
  const unspecified = address.address === "::" || address.address === "0.0.0.0";
  const host = unspecified ? "localhost" : address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    hostname: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolveClose, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}
