/**
 * Requests with a chunked body, which Bun frames only after the handler has answered.
 *
 * @module
 */

/**
 * Whether `request` carries a chunked body. Bun refuses with its own 400, before any handler,
 * every other Transfer-Encoding (`gzip`, `chunked, chunked`, `gzip, chunked`), one beside a
 * Content-Length and one on HTTP/1.0 (RFC 9112 §6.1), so the header that reaches us is `chunked`.
 */
export function isChunked(request: Request): boolean {
  return request.headers.has("transfer-encoding");
}

/**
 * The answer to a chunked request, with `Connection: close`; `undefined` when Bun has answered it
 * itself, and nothing more may be sent.
 *
 * Bun calls the handler as soon as a head is complete, writes whatever the handler settles within
 * microtasks, and only then parses the body bytes that came in the same read; a malformed chunk
 * (`zz`, a size past 64 bits) then gets Bun's own `400 Bad Request`: a second response to one
 * request, whatever the first said, `Connection: close` included (Bun 1.4.5). No handler can read
 * the body first: Bun gives a GET, HEAD or OPTIONS handler an empty body and drops the chunks
 * itself. So the answer waits one macrotask, by when Bun has parsed those bytes: a malformed body
 * has had Bun's 400 and a close, which aborted `request.signal`.
 *
 * Bytes arriving later are still parsed until the connection closes, and Bun writes its 400 for a
 * bad chunk even into the middle of a response body still being sent. Hence the answer must be
 * small, gone at once, and close the connection (RFC 9112 §9.6): GET and HEAD, which would send a
 * file, are refused with 400, as RFC 9110 §9.3.1 allows for content that has no meaning in a GET;
 * any other method gets the handler's answer, a 405 page or OPTIONS' bodiless 204.
 *
 * @example
 * ```ts
 * const response = isChunked(request) ? await answerChunked(request, () => handler(request)) : await handler(request);
 * if (response === undefined) return new Response(null, { status: 400 }); // never sent
 * ```
 */
export async function answerChunked(request: Request, handle: () => Promise<Response>): Promise<Response | undefined> {
  await new Promise((resolve) => setImmediate(resolve));
  if (request.signal.aborted) return undefined;
  const response =
    request.method === "GET" || request.method === "HEAD" ? new Response(null, { status: 400 }) : await handle();
  response.headers.set("connection", "close");
  return response;
}
