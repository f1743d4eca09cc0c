/**
 * A write's request body, as the filesystem reads it. A client that goes away mid-upload (a
 * closed tab, a cancelled upload, a phone off the network) makes the runtime error the body with
 * whatever it calls a reset (`ECONNRESET`, "aborted", …), which the error table would read as a
 * store's failure (502) and report to `onError` as a fault. It is neither: the body errors here
 * with `ECLIENTGONE`, a 400 that nobody will read, and nothing is logged beyond the request's line.
 *
 * @module
 */

const EMPTY = new Uint8Array(0);

/**
 * `request`'s body, whose own failures read as the client gone (`ECLIENTGONE`); an empty body
 * when there is none.
 *
 * @example
 * ```ts
 * await writes.put(path, clientBody(request), options);
 * ```
 */
export function clientBody(request: Request): ReadableStream<Uint8Array> {
  const source = request.body;
  if (source === null) return new Blob([EMPTY]).stream();
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (error) {
          controller.error(
            Object.assign(new Error("the client went away mid-body", { cause: error }), { code: "ECLIENTGONE" }),
          );
          return;
        }
        if (read.done) controller.close();
        else controller.enqueue(read.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
