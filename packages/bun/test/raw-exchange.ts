/**
 * One raw connection, for protocol.test.ts: writes bytes exactly as given, possibly in several
 * writes, and keeps every byte the server sends back, however many responses (or none) they hold.
 * test/support/raw-http.ts parses one response; this counts them.
 */
import { connect } from "node:net";
import { parseResponse, type RawResponse } from "../../../test/support/raw-http.ts";

export interface Exchange {
  /** Every byte the server sent. */
  raw: Buffer;
  /** Whether the server closed the connection within the time allowed. */
  closed: boolean;
}

export interface ExchangeOptions {
  /** How long the connection may stay open after the last write. @default 3000 */
  openMs?: number;
  /** Read nothing until this many milliseconds after connecting, as a client busy elsewhere. @default 0 */
  readAfterMs?: number;
}

/**
 * Connects to 127.0.0.1:`port` and writes `parts` in order, a number meaning a pause of that many
 * milliseconds. Resolves when the server closes the connection, or `openMs` after the last write
 * with the connection still open (then `closed` is false).
 */
export function exchange(
  port: number,
  parts: (string | Buffer | number)[],
  options: ExchangeOptions = {},
): Promise<Exchange> {
  const { openMs = 3000, readAfterMs = 0 } = options;
  return new Promise<Exchange>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: "127.0.0.1", port });
    if (readAfterMs > 0) {
      socket.pause();
      setTimeout(() => socket.resume(), readAfterMs);
    }
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ raw: Buffer.concat(chunks), closed });
    };
    const pauses = parts.reduce<number>((sum, part) => sum + (typeof part === "number" ? part : 0), 0);
    const timer = setTimeout(() => finish(false), Math.max(openMs + pauses, readAfterMs + openMs));
    socket.on("connect", () => {
      void (async () => {
        for (const part of parts) {
          if (socket.destroyed) return;
          if (typeof part === "number") await new Promise((wake) => setTimeout(wake, part));
          else socket.write(part);
        }
      })();
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A reset after a close the server chose (Bun closing with unread bytes) still ends the exchange.
    socket.on("error", (error: NodeJS.ErrnoException) =>
      error.code === "ECONNRESET" || error.code === "EPIPE" ? finish(true) : reject(error),
    );
    socket.on("close", () => finish(true));
  });
}

/**
 * Splits one connection's bytes into its responses: each is framed by its Content-Length, or has
 * no body (Bun's own error responses are a status line and `Connection: close`). Responses to
 * HEAD (`toHead`) announce a length they do not send.
 */
export function responsesIn(raw: Buffer, toHead = false): RawResponse[] {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const headEnd = raw.indexOf("\r\n\r\n", offset);
    if (headEnd < 0)
      throw new Error(`incomplete response head: ${JSON.stringify(raw.subarray(offset).toString("latin1"))}`);
    const head = raw.subarray(offset, headEnd).toString("latin1");
    if (/^transfer-encoding:/im.test(head)) throw new Error(`chunked response, not expected here: ${head}`);
    const length = toHead ? 0 : Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
    responses.push(parseResponse(raw.subarray(offset, headEnd + 4 + length)));
    offset = headEnd + 4 + length;
  }
  return responses;
}
