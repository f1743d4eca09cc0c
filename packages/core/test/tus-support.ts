/**
 * What the tus tests over memory (tus.test.ts, tus-refusals.test.ts) share: a handler over a
 * writable in-memory filesystem, and requests in tus's words.
 */
import { createHandler, type FileSystem, type HandlerOptions, memoryFileSystem } from "../src/index.ts";

const HOST = "share.test:8000";
const BASE = `http://${HOST}`;
export const TUS = { "tus-resumable": "1.0.0" };

/** `Upload-Metadata` naming `filename` (and any other pairs), base64 of UTF-8 as tus-js-client sends it. */
export function metadata(filename: string, more: Record<string, string> = {}): string {
  const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  return Object.entries({ filename, ...more })
    .map(([key, value]) => `${key} ${base64(value)}`)
    .join(",");
}

export interface Init {
  body?: BodyInit | null;
  headers?: Record<string, string>;
}

/** A handler over `files` (writable, upload on unless `options` say otherwise) and its filesystem. */
export function tusServer(options: Partial<HandlerOptions> = {}, files: Record<string, string> = {}) {
  const fs: FileSystem = memoryFileSystem({ "docs/a.txt": "first", ...files }, { writable: true });
  const handler = createHandler({ fs, write: { upload: true }, ...options });
  const send = (method: string, path: string, init: Init = {}) =>
    handler(
      new Request(`${BASE}${path}`, {
        method,
        body: init.body,
        headers: { host: HOST, ...init.headers },
        duplex: "half",
      } as RequestInit),
    );
  /** Creates an upload of `length` bytes named `filename` in `folder`: its URL path, or the response. */
  const create = async (folder: string, filename: string, length: number, headers: Record<string, string> = {}) => {
    const response = await send("POST", folder, {
      headers: { ...TUS, "upload-length": String(length), "upload-metadata": metadata(filename), ...headers },
    });
    return { response, url: response.headers.get("location") ?? "" };
  };
  /** Sends `body` as a piece at `offset`. */
  const patch = (url: string, offset: number, body: BodyInit, headers: Record<string, string> = {}) =>
    send("PATCH", url, {
      body,
      headers: {
        ...TUS,
        "content-type": "application/offset+octet-stream",
        "upload-offset": String(offset),
        ...headers,
      },
    });
  const head = (url: string) => send("HEAD", url, { headers: TUS });
  return { fs, handler, send, create, patch, head };
}

/** A body of `pieces`, one chunk each, with no length said: as a stream. */
export function streamOf(...pieces: string[]): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      const piece = pieces[at++];
      if (piece === undefined) return controller.close();
      controller.enqueue(new TextEncoder().encode(piece));
    },
  });
}
