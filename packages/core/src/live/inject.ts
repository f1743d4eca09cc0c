/**
 * Putting live reload's script into pages, as the one transform of the handler's final replies
 * (after every other: `_headers` may have set the policy it must fit). Only where a browser shows
 * the page itself, and only bytes the page is sure to be:
 * - a top-level document: `Sec-Fetch-Dest: document` (Fetch Metadata §2.1), or, from a client
 *   that sends no such header, a GET whose `Accept` names HTML. Never an iframe's, a script's
 *   fetch, an `<embed>`'s: their `Sec-Fetch-Dest` says what they are;
 * - a whole, uncompressed 200 of `text/html`, of a known length up to 8 MiB: never a range (206),
 *   a 304, a HEAD (no body), an error page, a listing streamed in parts. A document request is
 *   asked for without compression, so `--gzip` and precompressed pages still get the script;
 * - after `<body …>`, else before `</body>`, else at the end.
 * The page then has its own `Content-Length` and entity tag (the file's with a suffix), so no
 * cache ever takes one for the other; a conditional request carrying the suffixed tag is asked
 * with the file's (a 304 still works), one carrying any other validator is asked without it.
 *
 * @module
 */
import { isDeferred } from "../fs/file-system.js";
import { sha256Source } from "../http/csp-hash.js";
import { parseETagList } from "../http/etag.js";
import type { Reply, ReplyBody } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { clientScript } from "./client.js";
import { allowLiveReload } from "./csp.js";

/** What a handler answers: a request, and its target as sent (see createResponder). */
export type Respond = (request: Request, target?: string) => Promise<Reply>;

/** The largest page the script is put into: a page is read whole to do it. */
const MAX_PAGE = 8 * 1024 * 1024;

const encoder = new TextEncoder();
// One character a byte, whatever the bytes: offsets in the text are offsets in the page.
const bytesAsText = new TextDecoder("latin1");

/**
 * The transform of replies for a stream at `eventsPath`.
 *
 * @param eventsPath the stream's URL path, the mount prefix included
 * @returns a responder's wrapper: answers `request` with `respond`, the script put in
 */
export async function pageInjector(
  eventsPath: string,
): Promise<(request: Request, target: string | undefined, respond: Respond) => Promise<Reply>> {
  const script = clientScript(eventsPath);
  const hash = await sha256Source(script);
  const element = encoder.encode(`<script>${script}</script>`);
  // Made of the script's hash, so a page with another version of the script has another tag.
  const suffix = `-live${hash.slice(8, 16).replace(/[^A-Za-z0-9]/g, "_")}`;
  // A host-source without a scheme: the page's own scheme (CSP 3 §6.7.2.8); `;` and `,` would end
  // the directive or the policy, so they go percent-encoded (the path matches decoded).
  const connectPath = eventsPath.replaceAll(";", "%3B").replaceAll(",", "%2C");
  return async (request, target, respond) => {
    if (!isTopLevelDocument(request)) return respond(request, target);
    const reply = await respond(withValidators(request, suffix), target);
    if (reply.status === STATUS.NotModified) return tagged(reply, suffix);
    if (!injectable(reply)) return reply;
    const { headers } = reply;
    const page = await bytesOf(reply.body as ReplyBody);
    const at = insertionPoint(page);
    const body = new Uint8Array(page.length + element.length);
    body.set(page.subarray(0, at));
    body.set(element, at);
    body.set(page.subarray(at), at + element.length);
    headers.set("content-length", String(body.length));
    // A range of these bytes would need their own tag checked against If-Range: none are offered.
    headers.set("accept-ranges", "none");
    const source = streamSource(request.headers.get("host") ?? new URL(request.url).host, connectPath);
    for (const name of ["content-security-policy", "content-security-policy-report-only"]) {
      const policy = headers.get(name);
      if (policy !== null) headers.set(name, allowLiveReload(policy, hash, source));
    }
    return { ...tagged(reply, suffix), body };
  };
}

// A host name, IPv4 or bracketed IPv6 address, with an optional port: all a CSP host-source may hold.
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The CSP source that lets the page connect to the stream: its host and path (CSP 3 §2.3.1), or
 * `'self'` when the request's Host is not a plain host. The server lets through hosts with `;`,
 * `,` or quotes (RFC 3986's sub-delims), and the Host steers nothing: such bytes never reach the
 * policy, where they could end a directive or the policy itself.
 */
function streamSource(host: string, path: string): string {
  return PLAIN_HOST.test(host) ? `${host}${path}` : "'self'";
}

/**
 * Whether `request` is for a page a browser shows in its window: a GET with `Sec-Fetch-Dest:
 * document`, or without `Sec-Fetch-Dest` (an older browser, a client that sends none) and with
 * `text/html` in its `Accept`.
 */
export function isTopLevelDocument(request: Request): boolean {
  if (request.method !== "GET") return false;
  const destination = request.headers.get("sec-fetch-dest");
  if (destination !== null) return destination.trim().toLowerCase() === "document";
  return /\btext\/html\b/i.test(request.headers.get("accept") ?? "");
}

/** Whether `reply` is a whole, uncompressed HTML page of a known, bounded length. */
export function injectable(reply: Reply): boolean {
  const { status, headers, body, encoded } = reply;
  if (status !== STATUS.OK || body === null || encoded) return false;
  const coding = headers.get("content-encoding");
  if ((coding !== null && coding.toLowerCase() !== "identity") || headers.has("content-range")) return false;
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  const length = Number(headers.get("content-length") ?? Number.NaN);
  return type === "text/html" && length >= 0 && length <= MAX_PAGE;
}

/** Where the script goes in `page`: after `<body …>`, else before the last `</body>`, else the end. */
export function insertionPoint(page: Uint8Array): number {
  const text = bytesAsText.decode(page);
  const open = /<body(?=[\s/>])[^>]*>/i.exec(text);
  if (open !== null) return open.index + open[0].length;
  const close = text.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
  return close >= 0 ? close : page.length;
}

/**
 * `request` as the handler should see it: without compression, and with the validators of the
 * page as served (a tag with our `suffix`) turned into the file's; any other validator belongs to
 * a copy without the script (cached before live reload was on), which must not be revalidated.
 */
function withValidators(request: Request, suffix: string): Request {
  const headers = new Headers(request.headers);
  headers.set("accept-encoding", "identity");
  const ours = parseETagList(headers.get("if-none-match") ?? "")
    .filter((tag) => tag.endsWith(`${suffix}"`))
    .map((tag) => `${tag.slice(0, -suffix.length - 1)}"`);
  if (ours.length > 0) headers.set("if-none-match", ours.join(", "));
  else headers.delete("if-none-match");
  if (ours.length === 0) headers.delete("if-modified-since");
  return new Request(request.url, { method: request.method, headers, signal: request.signal });
}

/** `reply` with its entity tag made the page's: the file's, with `suffix` inside the quotes. */
function tagged(reply: Reply, suffix: string): Reply {
  const etag = reply.headers.get("etag");
  if (etag?.endsWith('"')) reply.headers.set("etag", `${etag.slice(0, -1)}${suffix}"`);
  return reply;
}

/** The whole of `body`, as bytes. */
async function bytesOf(body: ReplyBody): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  return new Uint8Array(await new Response(isDeferred(body) ? body.stream() : body).arrayBuffer());
}
