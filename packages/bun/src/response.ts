/**
 * What Bun would change in the core's responses on the way out, set back the way the core means it.
 *
 * @module
 */

// Multipart bodies up to this size are buffered to keep their Content-Length (see below). A client
// that asks for more gets them chunked rather than making the server hold that much in memory.
const BUFFERED_MULTIPART_MAX = 1024 * 1024;

/**
 * The response Bun should send for `response`, the core's answer to a `method` request. Only
 * headers change, except for a multipart body, which may be read into memory.
 *
 * @example
 * ```ts
 * const response = await outgoing(request.method, await handler(request));
 * // a Response, or a promise of one when a multipart body is read first
 * ```
 */
export function outgoing(method: string, response: Response): Response | Promise<Response> {
  const { headers } = response;
  // Bun adds Date to a GET's response but not to a HEAD's, which should carry the same headers.
  if (method === "HEAD" && !headers.has("date")) headers.set("date", new Date().toUTCString());
  // Sending a Bun.file Blob as application/octet-stream, Bun adds `Content-Disposition:
  // filename="<name>"` (no disposition type, the name unescaped); it keeps one that is already
  // there. `inline` means what no header means. HEAD gets it too, to match GET.
  // The core writes its types in lower case, parameters after the media type.
  const type = headers.get("content-type");
  if (type === "application/octet-stream" && !headers.has("content-disposition"))
    headers.set("content-disposition", "inline");

  // Bun drops the Content-Length of a stream body that has not ended when it writes the head, and
  // sends it chunked (oven-sh/bun#10507). The only stream the core gives a length is a multi-range
  // 206 over Blob parts. Reading it stays within the tick (Bun reads regular files synchronously),
  // so pipelined requests behind it are still answered.
  if (method === "HEAD" || type === null || !type.startsWith("multipart/byteranges;")) return response;
  const length = headers.get("content-length");
  if (length !== null && Number(length) <= BUFFERED_MULTIPART_MAX) {
    return response.arrayBuffer().then((bytes) => new Response(bytes, { status: response.status, headers }));
  }
  return response;
}
