/**
 * Large file bodies that the Node server can pipe straight to the socket.
 *
 * The core answers with a web `Response`, and `@hono/node-server` writes a web stream body chunk
 * by chunk through a promise per chunk: for big files that hop, not the disk, sets the pace. So a
 * large read gives the core a lazy web stream (it opens nothing until pulled) and registers the
 * Node stream behind it for the request being answered; `serve()` then pipes that Node stream
 * to the socket itself, with Node's own backpressure, when the response carries that very stream
 * untouched. Anywhere else (a handler composed by hand, gzip, multipart) the web stream works as
 * usual.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";

/** A file stream that has not started: either side may take it, once. */
export interface PendingFile {
  web: ReadableStream<Uint8Array<ArrayBuffer>>;
  /** The Node stream of the same bytes; after this the web stream must not be read. */
  take(): Readable;
}

/** The large file bodies read while answering the current request (set by `serve()`). */
export const pendingFiles = new AsyncLocalStorage<PendingFile[]>();

/** A lazy stream of bytes `start`..`end` of `handle`, which it closes on end, error and cancel. */
export function fileStream(handle: FileHandle, start: number, end: number, chunk: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let node: Readable | undefined;
  const open = (): Readable => (node ??= handle.createReadStream({ start, end, highWaterMark: chunk }));
  let reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>> | undefined;
  const web = new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      async pull(controller) {
        reader ??= (Readable.toWeb(open()) as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        if (reader) await reader.cancel(reason);
        else if (node) node.destroy();
        else await handle.close();
      },
    },
    // Nothing is read before someone asks, so serve() can still take the Node stream instead.
    { highWaterMark: 0 },
  );
  pendingFiles.getStore()?.push({ web, take: open });
  return web;
}
