/**
 * Writes as a hostile or unlucky client sends them, byte for byte (raw-http.ts): a request with a
 * body, a body sent in steps or cut off, a head whose body never comes, a multipart form written
 * by hand, and the folder listings that show what a write left on disk.
 */
import { readdirSync, statSync } from "node:fs";
import { UPLOAD_TEMP_PREFIX } from "@simplehttp/core";
import { RawConnection, type RawResponse, rawRequest } from "../support/raw-http.ts";

/** The bytes of a request head: `Host: 127.0.0.1:<port>` (as a browser sends it), then `headers`. */
export function requestHead(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
): string {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/**
 * One whole request with `body` (its Content-Length added), over its own connection closed after
 * the answer.
 *
 * @example
 * ```ts
 * const answer = await send(port, "PUT", "/../x", "evil");
 * ```
 */
export function send(
  port: number,
  method: string,
  target: string,
  body: string | Buffer = "",
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const all = { Connection: "close", "Content-Length": String(Buffer.byteLength(body)), ...headers };
  const bytes = Buffer.concat([Buffer.from(requestHead(port, method, target, all), "latin1"), Buffer.from(body)]);
  return rawRequest(port, bytes, { oneResponse: true, timeoutMs: 10_000 });
}

/** One file of a hand-written form: its `filename` parameter's bytes as they go on the wire. */
export interface FormFile {
  /** What goes between the quotes of `filename="…"` (or the whole parameter, with `parameter`). */
  filename: string;
  content: string;
  /** The whole `filename…` parameter when it is not `filename="<filename>"` (RFC 5987's `filename*`). */
  parameter?: string;
}

/** The boundary of every form this suite writes. */
export const BOUNDARY = "simplehttp-write-safety";

/** A `multipart/form-data` body (RFC 7578) of `files` under the field `files`, written by hand. */
export function formBody(files: readonly FormFile[]): Buffer {
  const parts = files.map(({ filename, content, parameter }) =>
    Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\n`),
      Buffer.from(
        `Content-Disposition: form-data; name="files"; ${parameter ?? `filename="${filename}"`}\r\n`,
        "latin1",
      ),
      Buffer.from(`Content-Type: application/octet-stream\r\n\r\n${content}\r\n`),
    ]),
  );
  return Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** A form `POST` of `files` to the folder `target`, asking for the JSON answer. */
export function postForm(
  port: number,
  target: string,
  files: readonly FormFile[],
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const type = { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, Accept: "application/json" };
  return send(port, "POST", target, formBody(files), { ...type, ...headers });
}

/** The bytes of one chunk of a chunked body (RFC 9112 §7.1). */
export function chunk(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from("\r\n")]);
}

/**
 * Sends `head` and `body` (in chunks of 64 KiB with `chunked`, then the last chunk) in one write,
 * and answers the response, which may come before the body ends: a server may refuse a body once
 * it has read enough of it, and close. One write, because a client that writes piece by piece may
 * write again after that close, and Node then drops the answer unread on the write's error
 * (EPIPE): the TCP reset problem of RFC 9112 §9.6, on the client's side. What one write leaves
 * queued goes out only as the socket takes it, and the answer was read first in every run here
 * (curl, which reads between its writes, gets the same answers).
 */
export async function sendWhole(port: number, head: string, body: Buffer, chunked = false): Promise<RawResponse> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += PIECE) {
    const piece = body.subarray(at, at + PIECE);
    pieces.push(chunked ? chunk(piece) : piece);
  }
  if (chunked) pieces.push(Buffer.from("0\r\n\r\n"));
  const connection = new RawConnection(port);
  try {
    void connection.write(Buffer.concat([Buffer.from(head), ...pieces]));
    return await responseOn(connection);
  } finally {
    connection.close();
  }
}

const PIECE = 64 * 1024;

/** The next response on `connection` to a request that was not a HEAD, within `timeoutMs`. */
export async function responseOn(connection: RawConnection, timeoutMs = 10_000): Promise<RawResponse> {
  const [response] = await connection.responses([{ method: "PUT", target: "" }], timeoutMs);
  if (response === undefined) throw new Error("no response");
  return response;
}

/** The names in the folder `dir` on disk, sorted. */
export function listed(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The server's temporary files in `dir` (their names), with their sizes. */
export function tempFiles(dir: string): { name: string; size: number }[] {
  return listed(dir)
    .filter((name) => name.startsWith(UPLOAD_TEMP_PREFIX))
    .map((name) => ({ name, size: statSync(`${dir}/${name}`, { throwIfNoEntry: false })?.size ?? 0 }));
}

/**
 * Checks `holds` every 20 ms until it is true; throws, saying `what`, after `ms`. For what only
 * the disk shows (a temporary file that appears, or goes): a deadline, never a sleep.
 */
export async function until(holds: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
