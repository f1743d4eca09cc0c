/**
 * Live reload's event stream: Server-Sent Events (HTML Living Standard §9.2) on one path, through
 * the plain fetch handler, so it works on every runtime and over HTTP/2 alike.
 *
 * Over HTTP/1.1 a browser opens at most 6 connections to an origin, and each open page holds one
 * for its stream: a 7th tab of the site would wait for a free connection, its page included. Over
 * HTTP/2 (`--tls`) streams share one connection and the cap is the server's 100-odd streams.
 *
 * @module
 */
import { STATUS } from "../http/status.js";
import type { ChangeSource, Changes } from "./feed.js";

/** The stream's settings. */
export interface EventStreamOptions {
  changes: ChangeSource;
  /** Milliseconds between two comment lines that keep an idle stream open through proxies and timeouts. */
  heartbeatMs: number;
}

const encoder = new TextEncoder();

/**
 * The events of one batch: `css` naming the stylesheets that changed, which a page swaps without
 * a reload, and `change` naming every other path (or `null`: reload, whatever the page shows).
 * Paths are the URL paths of the files, decoded, the mount `prefix` included.
 *
 * @param changes the batch
 * @param prefix the handler's mount prefix
 * @returns the lines to send, or `""` when the batch is empty
 */
export function eventsOf(changes: Changes, prefix: string): string {
  if (changes === null) return "event: change\ndata: null\n\n";
  const paths = changes.map((path) => `${prefix}/${path}`);
  const css = paths.filter((path) => path.toLowerCase().endsWith(".css"));
  const other = paths.filter((path) => !path.toLowerCase().endsWith(".css"));
  let text = "";
  // A path is one line of JSON: JSON escapes every line break (§9.2.6 splits data on them).
  if (css.length > 0) text += `event: css\ndata: ${JSON.stringify(css)}\n\n`;
  if (other.length > 0) text += `event: change\ndata: ${JSON.stringify(other)}\n\n`;
  return text;
}

/**
 * The answer to a request for the stream: `text/event-stream`, never cached, open until the
 * client goes (`request.signal`) or cancels the body, with a comment every `heartbeatMs`.
 *
 * @param request the stream's request
 * @param options where changes come from, and the heartbeat
 * @param prefix the handler's mount prefix
 * @param headers the headers every answer carries
 * @returns the status, headers and body of the answer
 */
export function eventStream(
  request: Request,
  { changes, heartbeatMs }: EventStreamOptions,
  prefix: string,
  headers: Headers,
): { status: number; headers: Headers; body: ReadableStream<Uint8Array> | null } {
  headers.set("content-type", "text/event-stream; charset=utf-8");
  headers.set("cache-control", "no-store");
  // Proxies that buffer answers (nginx) would hold the events back.
  headers.set("x-accel-buffering", "no");
  if (request.method === "HEAD") return { status: STATUS.OK, headers, body: null };
  let stop = (): void => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string): void => {
        if (text !== "") controller.enqueue(encoder.encode(text));
      };
      const unsubscribe = changes.subscribe((batch) => send(eventsOf(batch, prefix)));
      const heartbeat = setInterval(() => send(": \n\n"), heartbeatMs);
      const abort = (): void => stop();
      stop = () => {
        stop = () => {};
        unsubscribe();
        clearInterval(heartbeat);
        request.signal.removeEventListener("abort", abort);
        try {
          controller.close();
        } catch {
          // Cancelled by the runtime already: nothing left to close.
        }
      };
      request.signal.addEventListener("abort", abort);
      // The first bytes open the EventSource at once; `retry` (§9.2.6) brings a page back within a
      // second of a server restarted.
      send("retry: 1000\n: live reload\n\n");
      if (request.signal.aborted) stop();
    },
    cancel: () => stop(),
  });
  return { status: STATUS.OK, headers, body };
}
