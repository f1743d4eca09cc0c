/**
 * A raw-socket download client and a bare node:http server, for the tests of how Node sends file
 * bodies (file-body.test.ts, send-whole.test.ts): a client that reads fast, slowly, pauses or
 * aborts, and what it received, whole.
 */
import { createHash } from "node:crypto";
import { createServer, type RequestListener, type ServerResponse } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { expect } from "vitest";
import type { RawResponse } from "../../../test/support/raw-http.ts";

/** How long a slow client leaves its socket paused after each chunk. */
const SLOW_PAUSE_MS = 3;

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** Polls until `done()` holds; rejects after `timeoutMs`. */
export async function waitUntil(done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How a test client reads its download. */
export type Reading = "fast" | "slow" | "pause-after-first" | "abort-after-first";

export interface Download {
  socket: Socket;
  /** Resolves when the first bytes arrive; rejects if the connection closes (or times out) first. */
  firstData: Promise<void>;
  /** Every byte received, once the connection has closed; rejects if it is still open after `timeoutMs`. */
  closed: Promise<Buffer>;
}

/** `GET path` over a raw socket with `headers` (`Connection: close` by default), read as `reading` says. */
export function download(
  port: number,
  path: string,
  reading: Reading = "fast",
  timeoutMs = 15_000,
  headers: Record<string, string> = { connection: "close" },
): Download {
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  const socket = connect({ host: "127.0.0.1", port });
  const chunks: Buffer[] = [];
  let received = 0;
  let first = { resolve: (): void => {}, reject: (_error: Error): void => {} };
  const firstData = new Promise<void>((resolve, reject) => (first = { resolve, reject }));
  const closed = new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new Error(`GET ${path}: connection still open after ${timeoutMs} ms (${received} bytes received)`);
      first.reject(error);
      reject(error);
      socket.destroy();
    }, timeoutMs);
    socket.on("close", () => {
      clearTimeout(timer);
      first.reject(new Error(`GET ${path}: closed before any byte arrived`));
      resolve(Buffer.concat(chunks));
    });
  });
  firstData.catch(() => {}); // a caller that does not wait for it still gets `closed`'s rejection
  socket.on("error", () => {}); // a cut connection shows as a short body at `close`
  socket.on("connect", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}\r\n`));
  socket.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
    if (chunks.length === 1) first.resolve();
    if (reading === "abort-after-first") socket.destroy();
    else if (reading === "pause-after-first" && chunks.length === 1) socket.pause();
    else if (reading === "slow") {
      socket.pause();
      setTimeout(() => socket.resume(), SLOW_PAUSE_MS);
    }
  });
  return { socket, firstData, closed };
}

export interface BareServer {
  port: number;
  close(): Promise<void>;
}

/** A bare node:http server on 127.0.0.1, on a free port. */
export async function listenBare(listener: RequestListener): Promise<BareServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Expects a whole 200 whose body is `expected`, compared by sha256. */
export function expectWhole(response: RawResponse, expected: Buffer): void {
  expect(response.status).toBe(200);
  expect(response.headers["content-length"]).toBe(String(expected.length));
  expect(response.body.length).toBe(expected.length);
  expect(sha256(response.body)).toBe(sha256(expected));
}

/**
 * A bare server that sends each answer only once its client has gone (no "close" event is coming
 * any more), by `send`, and counts the requests it has so handled.
 */
export async function listenSendingAfterLeave(
  send: (response: ServerResponse) => void,
): Promise<BareServer & { handled(): number }> {
  let handled = 0;
  const server = await listenBare((_request, response) => {
    response.once("close", () => {
      send(response);
      handled++;
    });
  });
  return { ...server, handled: () => handled };
}

/** `count` requests for `path` whose clients leave 50 ms after connecting; resolves once each is handled. */
export async function leaveAtConnect(
  server: BareServer & { handled(): number },
  path: string,
  count: number,
): Promise<void> {
  const before = server.handled();
  const downloads = Array.from({ length: count }, () => download(server.port, path));
  for (const { socket } of downloads) socket.once("connect", () => setTimeout(() => socket.destroy(), 50));
  for (const raw of await Promise.all(downloads.map(({ closed }) => closed))) expect(raw.length).toBe(0);
  await waitUntil(() => server.handled() === before + count, `the server handled all ${count} requests`);
}
