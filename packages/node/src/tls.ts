/**
 * HTTPS for serve(): HTTP/2 and HTTP/1.1 on one port, chosen per connection by ALPN (RFC 7301;
 * RFC 9113 §3.2), with the same limits on slow clients as the plain HTTP server.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from "node:http2";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { tlsRefused } from "@simplehttp/core";

/** How long a client may take, as serve() gives them to the plain HTTP server. */
export interface Limits {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
}

export type Listener = (
  incoming: IncomingMessage | Http2ServerRequest,
  outgoing: ServerResponse | Http2ServerResponse,
) => void;

/** The HTTPS server, and a way to end every connection it has (close() alone waits for them). */
export interface SecureServer {
  server: Http2SecureServer;
  destroyConnections(): void;
}

// RFC 9113 §6.5.2 advises at least 100 concurrent streams. Node's default is nghttp2's, unlimited:
// one connection could then open a file per stream until the process runs out of descriptors.
const MAX_CONCURRENT_STREAMS = 100;

// What http.Server sets (storeHTTPOptions in Node's _http_server.js) and the HTTP/1.1 side of an
// Http2SecureServer leaves unset (Node 20): without keepAliveTimeout an idle HTTP/1.1 connection
// over TLS is never closed, and without requireHostHeader an HTTP/1.1 request without Host is
// served where RFC 9112 §3.2 wants a 400, which the plain server sends.
const HTTP1_DEFAULTS = {
  keepAliveTimeout: 5_000,
  requireHostHeader: true,
  maxHeadersCount: null,
  maxRequestsPerSocket: 0,
};

/**
 * Set on both servers (plain and TLS): a client may half-close once it has sent its requests, as
 * `nc -N` and scripted HTTP/1.0 clients do, and still read every answer (RFC 9293 §3.6: a FIN only
 * ends what its sender sends). By default Node's HTTP server takes the FIN as the end of the
 * exchange: it drops the requests it has not answered and ends the socket, which sent nothing of a
 * 5 MB file, and only the answers already decided of pipelined requests. With this, it marks the
 * last answer as the last, and ends the connection once that is sent.
 */
export const ANSWERS_AFTER_FIN = { httpAllowHalfOpen: true };

/**
 * An HTTPS server answering HTTP/2 and, for clients that do not offer `h2`, HTTP/1.1 with
 * `listener`. HTTP/1.1 connections are Node's own HTTP server's (an http.ServerResponse each), so
 * `limits` apply to them as they do without TLS. HTTP/2 has no such limits in Node, so:
 *
 * - the TLS handshake must be done within `headersTimeout` (Node's default allows 120 s);
 * - a session with no request in progress is closed (GOAWAY, RFC 9113 §6.8) after
 *   `headersTimeout`: a client that connects and sends nothing, or dribbles the frames of its
 *   first request, is cut as an HTTP/1.1 client would be. A session with a request in progress
 *   stays, so a slow download is not cut, as over HTTP/1.1.
 */
export function secureServer(tls: { cert: string; key: string }, limits: Limits, listener: Listener): SecureServer {
  let server: Http2SecureServer;
  try {
    server = createSecureServer({
      allowHTTP1: true,
      cert: tls.cert,
      key: tls.key,
      // As http.Server does: small replies leave at once instead of waiting on Nagle's algorithm.
      noDelay: true,
      handshakeTimeout: limits.headersTimeout,
      settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS },
    });
  } catch (error) {
    // Node checks the pair here (not PEM, "key values mismatch"): one line, with its code.
    throw tlsRefused(error);
  }
  // Node reads these from the server object for HTTP/1.1 connections, and starts the check
  // interval on "listening", so they must be set before listen().
  Object.assign(server, HTTP1_DEFAULTS, ANSWERS_AFTER_FIN, limits);

  // Every TCP connection, including those still in their handshake: close() waits for all of them.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  // The TLS socket's half of ANSWERS_AFTER_FIN, for HTTP/1.1 only: by default a TLS socket ends its
  // own side at the client's FIN, before Node's HTTP code decides anything. An HTTP/2 session keeps
  // the default: there a client's FIN is the session's end, and its streams must release their files.
  server.on("secureConnection", (socket: TLSSocket) => {
    if (socket.alpnProtocol !== "h2") socket.allowHalfOpen = true;
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on("session", (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    closeWhenIdle(session, limits.headersTimeout);
  });
  server.on("request", listener);
  return {
    server,
    destroyConnections() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Closes `session` once it has had no request in progress for `idleMs`. */
function closeWhenIdle(session: ServerHttp2Session, idleMs: number): void {
  let open = 0;
  // One timer per session, restarted rather than replaced: no allocation per request.
  const timer = setTimeout(function check() {
    if (open === 0) session.close();
    else timer.refresh(); // looked at again then, unless the last stream restarts it first
  }, idleMs);
  timer.unref();
  session.on("stream", (stream) => {
    open++;
    stream.once("close", () => {
      if (--open === 0) timer.refresh();
    });
  });
  session.once("close", () => clearTimeout(timer));
}
