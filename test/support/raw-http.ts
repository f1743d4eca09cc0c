/**
 * A raw HTTP/1.x client over `node:net`, for requests `fetch` would refuse or normalise: the bytes
 * written are exactly the ones given, so targets such as `/../x`, `/%2e%2e/x`, `//evil.example/dir`
 * or `/a\b` reach the server as sent. With `tls`, the same bytes go over TLS (`node:tls`), offering
 * only `http/1.1` by ALPN (RFC 7301), so a server that speaks HTTP/2 too answers in HTTP/1.1.
 */
import { connect as connectTcp, type Socket } from "node:net";
import { type ConnectionOptions, connect as connectTls } from "node:tls";

/** A connection to 127.0.0.1:`port`, over TLS when `tls` is given; `ready` once bytes can be sent (buffered before). */
function connect(port: number, tls: ConnectionOptions | undefined, noDelay = false): { socket: Socket; ready: string } {
  if (tls === undefined) return { socket: connectTcp({ host: "127.0.0.1", port, noDelay }), ready: "connect" };
  const socket = connectTls({ host: "127.0.0.1", port, ALPNProtocols: ["http/1.1"], ...tls });
  socket.setNoDelay(noDelay);
  return { socket, ready: "secureConnect" };
}

export interface RawResponse {
  status: number;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body: at most Content-Length bytes, de-chunked when the response was chunked. */
  body: Buffer;
  /** Every byte the server sent. */
  raw: Buffer;
}

export interface RawRequestOptions {
  /** Resolve as soon as one whole response has arrived, instead of when the server closes. @default false */
  oneResponse?: boolean;
  /** Reject when the server has not closed the connection by then. @default 5000 */
  timeoutMs?: number;
  /** Connect over TLS with these options (`ca`, …): HTTPS, as HTTP/1.1. @default undefined (plain TCP) */
  tls?: ConnectionOptions;
}

/**
 * Connects to 127.0.0.1:`port`, writes `requestBytes` unchanged and reads until the server closes
 * the connection (callers send `Connection: close`), then parses the response.
 */
export function rawRequest(
  port: number,
  requestBytes: string | Buffer,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<RawResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const { socket, ready } = connect(port, options.tls);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`rawRequest: no end of response within ${timeoutMs} ms (got ${Buffer.concat(chunks).length} bytes)`),
      );
    }, timeoutMs);
    socket.on(ready, () => socket.write(requestBytes));
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    };
    const head = String(requestBytes).startsWith("HEAD ");
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // Some servers (workerd) keep the connection open despite `Connection: close`.
      if (options.oneResponse && isComplete(Buffer.concat(chunks), head)) finish();
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("end", finish);
  });
}

/** `<method> <target> HTTP/1.1` (GET by default) with `Host: 127.0.0.1`, `Connection: close` and `extraHeaders`. */
export function rawGet(
  port: number,
  target: string,
  extraHeaders: Record<string, string> = {},
  options: RawRequestOptions & { method?: string } = {},
): Promise<RawResponse> {
  const lines = [`${options.method ?? "GET"} ${target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  for (const [name, value] of Object.entries(extraHeaders)) lines.push(`${name}: ${value}`);
  return rawRequest(port, `${lines.join("\r\n")}\r\n\r\n`, { oneResponse: true, ...options });
}

/** Whether `raw` holds one whole response: its head, and the body its framing announces. */
function isComplete(raw: Buffer, head: boolean): boolean {
  const headEnd = raw.indexOf("\r\n\r\n");
  if (headEnd < 0) return false;
  const headText = raw.subarray(0, headEnd).toString("latin1");
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(headText)?.[1]);
  if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) return true;
  const body = raw.subarray(headEnd + 4);
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(headText))
    return body.subarray(-5).toString("latin1") === "0\r\n\r\n";
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(headText)?.[1];
  return length !== undefined && body.length >= Number(length);
}

/** Parses one complete HTTP/1.x response (the connection was closed after it). */
export function parseResponse(raw: Buffer): RawResponse {
  const headEnd = raw.indexOf("\r\n\r\n");
  if (headEnd < 0) throw new Error(`rawRequest: incomplete response head: ${JSON.stringify(raw.toString("latin1"))}`);
  const [statusLine = "", ...headerLines] = raw.subarray(0, headEnd).toString("latin1").split("\r\n");
  const match = /^HTTP\/\d\.\d (\d{3})(?: .*)?$/.exec(statusLine);
  if (!match) throw new Error(`rawRequest: bad status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`rawRequest: bad header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  let body = raw.subarray(headEnd + 4);
  if (/\bchunked\b/i.test(headers["transfer-encoding"] ?? "")) {
    body = dechunk(body);
  } else if (headers["content-length"] !== undefined) {
    // A HEAD or 304 response announces a length it does not send: keep what actually came.
    body = body.subarray(0, Number(headers["content-length"]));
  }
  return { status: Number(match[1]), headers, body: Buffer.from(body), raw };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", offset);
    if (lineEnd < 0) throw new Error("rawRequest: truncated chunked body");
    const size = parseInt(data.subarray(offset, lineEnd).toString("latin1").split(";")[0] ?? "", 16);
    if (Number.isNaN(size)) throw new Error("rawRequest: bad chunk size");
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (start + size > data.length) throw new Error("rawRequest: truncated chunk");
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}

/** One request of a pipeline: GET by default, `Host: 127.0.0.1` added. */
export interface PipelinedRequest {
  method?: string;
  target: string;
  headers?: Record<string, string>;
}

/** The bytes of `request` as an HTTP/1.1 request with no body. */
export function requestBytes({ method = "GET", target, headers = {} }: PipelinedRequest): string {
  const lines = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * The end of the response that starts at `offset` of `raw` (its head and the body its framing
 * announces), or undefined while it is incomplete. A response to HEAD, and a 1xx, 204 or 304, has
 * no body whatever its Content-Length says (RFC 9112 §6.3).
 */
function responseEnd(raw: Buffer, offset: number, head: boolean): number | undefined {
  const headEnd = raw.indexOf("\r\n\r\n", offset);
  if (headEnd < 0) return undefined;
  const headText = raw.subarray(offset, headEnd).toString("latin1");
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(headText)?.[1]);
  const bodyStart = headEnd + 4;
  if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) return bodyStart;
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(headText)) {
    let at = bodyStart;
    for (;;) {
      const lineEnd = raw.indexOf("\r\n", at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(raw.subarray(at, lineEnd).toString("latin1"), 16);
      at = lineEnd + 2 + size + 2;
      if (at > raw.length) return undefined;
      if (size === 0) return at;
    }
  }
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headText)?.[1] ?? 0);
  return bodyStart + length <= raw.length ? bodyStart + length : undefined;
}

/**
 * One keep-alive connection that writes bytes exactly as given and parses the responses in order,
 * for pipelining: several requests in one write, or split at chosen byte offsets.
 */
export class RawConnection {
  readonly #socket;
  readonly #opened: Promise<void>;
  #received = Buffer.alloc(0);
  #parsed = 0;
  #closed = false;
  #waiter: (() => void) | undefined;

  /** Connects to 127.0.0.1:`port`; over TLS (HTTP/1.1 by ALPN) when `tls` is given. */
  constructor(port: number, tls?: ConnectionOptions) {
    const { socket, ready } = connect(port, tls, true);
    this.#socket = socket;
    this.#opened = new Promise((resolve, reject) => {
      this.#socket.once(ready, () => resolve());
      this.#socket.once("error", reject);
    });
    this.#socket.on("data", (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#waiter?.();
    });
    this.#socket.on("close", () => {
      this.#closed = true;
      this.#waiter?.();
    });
    this.#socket.on("error", () => {});
  }

  /** Whether the server has closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Writes the requests' bytes: in one write, or cut at each offset of `cuts` (byte positions in
   * the whole pipeline) into writes a few milliseconds apart, so the server reads them apart.
   */
  async send(requests: readonly PipelinedRequest[], cuts: readonly number[] = []): Promise<void> {
    await this.#opened;
    const bytes = Buffer.from(requests.map(requestBytes).join(""), "latin1");
    let from = 0;
    for (const cut of [...cuts.filter((at) => at > 0 && at < bytes.length), bytes.length]) {
      this.#socket.write(bytes.subarray(from, cut));
      from = cut;
      if (cut < bytes.length) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Writes `bytes` exactly as given: a request's head, or part of its body, for a test that sends
   * a body in steps, cuts it off or never sends it. Resolves once the system took them; `false`
   * when it could not (the server closed the connection, as it may after answering early).
   */
  async write(bytes: string | Buffer): Promise<boolean> {
    await this.#opened;
    if (this.#closed) return false;
    return new Promise((resolve) => this.#socket.write(bytes, (error) => resolve(error == null)));
  }

  /**
   * The next responses, one per request of `requests` (whose methods tell which have no body),
   * waiting at most `timeoutMs` for them all. Bytes past them stay for the next call.
   */
  async responses(requests: readonly PipelinedRequest[], timeoutMs = 10_000): Promise<RawResponse[]> {
    const deadline = Date.now() + timeoutMs;
    const parsed: RawResponse[] = [];
    for (const request of requests) {
      const head = request.method === "HEAD";
      let end = responseEnd(this.#received, this.#parsed, head);
      for (; end === undefined; end = responseEnd(this.#received, this.#parsed, head)) {
        if (this.#closed) throw new Error(`connection closed after ${parsed.length} of ${requests.length} responses`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `${parsed.length} of ${requests.length} responses within ${timeoutMs} ms ` +
              `(${this.#received.length - this.#parsed} bytes pending)`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          this.#waiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      parsed.push(parseResponse(this.#received.subarray(this.#parsed, end)));
      this.#parsed = end;
    }
    return parsed;
  }

  /** Bytes received after the last parsed response. */
  get extra(): Buffer {
    return this.#received.subarray(this.#parsed);
  }

  /** Half-closes the connection, as `nc -N` does once it has sent its input: the server may still answer. */
  async end(): Promise<void> {
    await this.#opened;
    this.#socket.end();
  }

  close(): void {
    this.#socket.destroy();
  }
}
