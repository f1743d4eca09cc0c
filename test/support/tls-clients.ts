/**
 * HTTPS clients for tests, on `node:https` and `node:http2`, that trust the test certificate
 * (test-certificate.ts) through `ca`, so verification stays on: the server must present a
 * certificate for 127.0.0.1. Node's global `fetch` (undici) has no option to trust a CA without a
 * dispatcher from the `undici` package, which the repository does not depend on.
 *
 * Each client answers in two shapes: `fetch()` a `Response`, as the global fetch would (redirects
 * not followed, bodies not decoded), and `request()` a {@link RawResponse}, as the raw HTTP/1.1
 * client does, with the header names lower-case and repeated headers joined.
 *
 * @module
 */

import {
  type ClientHttp2Session,
  connect as connectH2,
  constants,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from "node:http2";
import { Agent, request as httpsRequest } from "node:https";
import { connect as connectTls, type TLSSocket } from "node:tls";
import type { RawResponse } from "./raw-http.ts";

/** What a test may pass to `request()`. */
/**
 * A TLS connection to 127.0.0.1:`port` offering `protocols` by ALPN (RFC 7301), resolved once the
 * handshake is done.
 */
export function tlsConnection(port: number, ca: string, protocols: string[]): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: "127.0.0.1", port, ca, ALPNProtocols: protocols }, () => resolve(socket));
    socket.once("error", reject);
  });
}

export interface RequestOptions {
  method?: string;
  /** Reject when the whole response has not arrived by then. @default 5000 */
  timeoutMs?: number;
}

/** One origin's client: `fetch()` for Responses, `request()` for parsed raw responses. */
export interface HttpClient {
  fetch(url: string | URL, init?: RequestInit): Promise<Response>;
  request(path: string, headers?: Record<string, string>, options?: RequestOptions): Promise<RawResponse>;
  close(): void;
}

/** A status, headers and body as `fetch()` would give them (Response refuses a body on 204 and 304). */
function fetchResponse(status: number, headers: Record<string, string>, body: Buffer): Response {
  const noBody = status === 204 || status === 205 || status === 304;
  return new Response(noBody ? null : new Uint8Array(body), { status, headers });
}

/** `init.headers` as a record, and `init.body` as bytes (tests send strings or bytes only). */
function requestParts(init: RequestInit): { headers: Record<string, string>; body: Buffer | null } {
  const headers = Object.fromEntries(new Headers(init.headers));
  const { body } = init;
  if (body === undefined || body === null) return { headers, body: null };
  if (typeof body === "string") return { headers, body: Buffer.from(body) };
  if (body instanceof Uint8Array) return { headers, body: Buffer.from(body) };
  throw new TypeError("tls-clients: only string and Uint8Array bodies are supported");
}

/** Joins a Node header value the way the raw client does (`, ` between repeated ones). */
function joined(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    result[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return result;
}

/** The bytes a test may search for secrets: a status line, the headers and the body. */
function rawOf(version: string, status: number, headers: Record<string, string>, body: Buffer): Buffer {
  const head = [
    `HTTP/${version} ${status}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join("\r\n");
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), body]);
}

/** HTTP/1.1 over TLS through `node:https`, keeping connections alive between requests. */
export class Https1Client implements HttpClient {
  readonly #agent: Agent;

  constructor(
    readonly origin: string,
    ca: string,
  ) {
    // ALPN offers http/1.1 only: a server that speaks HTTP/2 too must answer this in HTTP/1.1.
    this.#agent = new Agent({ keepAlive: true, ca, ALPNProtocols: ["http/1.1"] });
  }

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const { status, headers, body } = await this.#exchange(
      new URL(url, this.origin),
      init.method ?? "GET",
      requestParts(init),
      10_000,
    );
    return fetchResponse(status, headers, body);
  }

  async request(
    path: string,
    headers: Record<string, string> = {},
    { method = "GET", timeoutMs = 5000 }: RequestOptions = {},
  ): Promise<RawResponse> {
    const {
      status,
      headers: received,
      body,
    } = await this.#exchange(new URL(path, this.origin), method, { headers, body: null }, timeoutMs, path);
    return { status, headers: received, body, raw: rawOf("1.1", status, received, body) };
  }

  close(): void {
    this.#agent.destroy();
  }

  #exchange(
    url: URL,
    method: string,
    { headers, body }: { headers: Record<string, string>; body: Buffer | null },
    timeoutMs: number,
    path = url.pathname + url.search,
  ) {
    return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      const request = httpsRequest(
        { agent: this.#agent, host: url.hostname, port: url.port, method, path, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.once("error", reject);
          response.once("end", () => {
            clearTimeout(timer);
            resolve({
              status: response.statusCode ?? 0,
              headers: joined(response.headers),
              body: Buffer.concat(chunks),
            });
          });
        },
      );
      const timer = setTimeout(
        () => request.destroy(new Error(`https ${method} ${path}: no whole response within ${timeoutMs} ms`)),
        timeoutMs,
      );
      request.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body ?? undefined);
    });
  }
}

/**
 * HTTP/2 over TLS through `node:http2`: one session, opened on the first request and again after
 * the server closed it (an idle session gets a GOAWAY), every request a stream of it.
 */
export class H2Client implements HttpClient {
  #session: ClientHttp2Session | undefined;
  /** The ALPN protocol of the last session: `h2`, or the test fails rather than fall back. */
  protocol: string | undefined;

  constructor(
    readonly origin: string,
    readonly ca: string,
  ) {}

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.origin);
    const { status, headers, body } = await this.#exchange(
      init.method ?? "GET",
      target.pathname + target.search,
      requestParts(init),
      10_000,
    );
    return fetchResponse(status, headers, body);
  }

  async request(
    path: string,
    headers: Record<string, string> = {},
    { method = "GET", timeoutMs = 5000 }: RequestOptions = {},
  ): Promise<RawResponse> {
    const { status, headers: received, body } = await this.#exchange(method, path, { headers, body: null }, timeoutMs);
    return { status, headers: received, body, raw: rawOf("2", status, received, body) };
  }

  close(): void {
    this.#session?.destroy();
    this.#session = undefined;
  }

  #open(): ClientHttp2Session {
    if (this.#session && !this.#session.closed && !this.#session.destroyed) return this.#session;
    const session = connectH2(this.origin, { ca: this.ca });
    session.once("connect", () => (this.protocol = session.alpnProtocol));
    session.on("error", () => {}); // each stream reports its own failure
    session.once("goaway", () => {
      if (this.#session === session) this.#session = undefined;
    });
    this.#session = session;
    return session;
  }

  #exchange(
    method: string,
    path: string,
    { headers, body }: { headers: Record<string, string>; body: Buffer | null },
    timeoutMs: number,
  ) {
    return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>((resolve, reject) => {
      const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
      const outgoing: OutgoingHttpHeaders = { ...lower, ":method": method, ":path": path };
      const stream = this.#open().request(outgoing, { endStream: body === null });
      const timer = setTimeout(() => {
        stream.close(constants.NGHTTP2_CANCEL);
        reject(new Error(`h2 ${method} ${path}: no whole response within ${timeoutMs} ms`));
      }, timeoutMs);
      const chunks: Buffer[] = [];
      let status = 0;
      let received: Record<string, string> = {};
      stream.once("response", (responseHeaders) => {
        status = Number(responseHeaders[":status"]);
        received = joined(responseHeaders);
      });
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.once("end", () => {
        clearTimeout(timer);
        resolve({ status, headers: received, body: Buffer.concat(chunks) });
      });
      stream.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // A stream the server resets ends with neither "end" nor, always, "error".
      stream.once("close", () => {
        clearTimeout(timer);
        reject(
          new Error(
            `h2 ${method} ${path}: stream closed (RST_STREAM code ${stream.rstCode}) before the response ended`,
          ),
        );
      });
      if (body !== null) stream.end(body);
    });
  }
}
