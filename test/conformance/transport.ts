/**
 * How the conformance suite talks to a target: plain HTTP/1.1, HTTP/1.1 over TLS, or HTTP/2 over
 * TLS. The cases are written once against {@link SuiteClient}; each transport supplies it.
 *
 * - `http`: the global fetch, and raw bytes over `node:net` (raw-http.ts).
 * - `https`: a fetch-like client on `node:https`, and the same raw bytes over `node:tls`, offering
 *   only `http/1.1` by ALPN, so hostile targets and pipelining still go byte for byte.
 * - `h2`: `node:http2` for both. An HTTP/2 request is a set of header fields, not bytes: cases
 *   about the bytes of an HTTP/1.1 request (pipelining, absolute-form targets) are not registered
 *   for it (see {@link TRANSPORT_TRAITS}).
 */
import { RawConnection, type RawResponse, rawGet } from "../support/raw-http.ts";
import { testCertificate } from "../support/test-certificate.ts";
import { H2Client, Https1Client, type RequestOptions } from "../support/tls-clients.ts";

export type Transport = "http" | "https" | "h2";

/** What the suite needs of a transport. */
export interface SuiteClient {
  /** A fetch to the target, redirects not followed. */
  get(path: string, init?: RequestInit): Promise<Response>;
  /** One request, its response parsed (headers lower-case, repeated ones joined). */
  raw(path: string, headers?: Record<string, string>, options?: RequestOptions): Promise<RawResponse>;
  /** A keep-alive HTTP/1.1 connection for pipelining (HTTP/1.x transports only). */
  connection(): RawConnection;
  /** The ALPN protocol an HTTP/2 target agreed to, once a request went out; else undefined. */
  protocol(): string | undefined;
  close(): void;
}

/** What a transport can carry, for the cases that depend on it. */
export interface TransportTraits {
  /** Several requests written on one connection before the answers (RFC 9112 §9.3.2). */
  pipelining: boolean;
  /**
   * A request target in absolute form (`GET http://evil.example/../x HTTP/1.1`, RFC 9112 §3.2.2).
   * HTTP/2 carries the target as `:scheme`, `:authority` and an origin-form `:path` (RFC 9113
   * §8.3.1): there is no absolute form to send.
   */
  absoluteForm: boolean;
}

export const TRANSPORT_TRAITS: Record<Transport, TransportTraits> = {
  http: { pipelining: true, absoluteForm: true },
  https: { pipelining: true, absoluteForm: true },
  h2: { pipelining: false, absoluteForm: false },
};

const TIMEOUT_MS = 10_000;

/** The client of `transport` for a target listening at `url` (port `port`, on 127.0.0.1). */
export function suiteClient(transport: Transport, url: string, port: number): SuiteClient {
  const ca = testCertificate().cert;
  if (transport === "h2") {
    const h2 = new H2Client(url, ca);
    return {
      get: (path, init) => h2.fetch(path, init),
      raw: (path, headers = {}, options = {}) => h2.request(path, headers, { timeoutMs: TIMEOUT_MS, ...options }),
      connection: () => {
        throw new Error("HTTP/2 has no pipelining: this case should not be registered for h2");
      },
      protocol: () => h2.protocol,
      close: () => h2.close(),
    };
  }
  const tls = transport === "https" ? { ca } : undefined;
  const https = tls ? new Https1Client(url, ca) : null;
  return {
    get: (path, init) => (https ? https.fetch(path, init) : fetch(new URL(path, url), { redirect: "manual", ...init })),
    raw: (path, headers = {}, { method, timeoutMs = TIMEOUT_MS } = {}) =>
      rawGet(port, path, headers, { method, timeoutMs, tls }),
    connection: () => new RawConnection(port, tls),
    protocol: () => undefined,
    close: () => https?.close(),
  };
}
