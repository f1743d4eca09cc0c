/**
 * Bodies from the store as the core takes them.
 *
 * @module
 */

type Bytes = Uint8Array<ArrayBuffer>;

/**
 * Each body handed on → the Response it came from. Node's fetch cancels a body whose Response was
 * garbage-collected while the body was neither read nor locked (nodejs/undici#3199), and the core
 * holds only the body until it sends it, so without this a file could go out empty now and then.
 * The map keeps each Response exactly as long as its body is reachable.
 */
const owners = new WeakMap<ReadableStream<Bytes>, Response>();

/** A response's body as a byte stream (one that keeps its Response alive); empty when none. */
export function bodyStream(response: Response): ReadableStream<Bytes> {
  const body = response.body;
  if (body === null) return new Blob([]).stream();
  owners.set(body, response);
  return body;
}

/**
 * `stream`, failing unless it holds exactly `length` bytes. The core has already promised that
 * many in Content-Length: a body of another length (one a runtime decoded behind our back, see
 * filesystem.ts) must cut the connection, never end early or run long as if it were whole.
 */
export function exactLength(stream: ReadableStream<Bytes>, length: number, what: string): ReadableStream<Bytes> {
  let seen = 0;
  const wrong = (): Error =>
    new Error(
      `s3: ${what} sent other bytes than its Content-Length (${seen} of ${length}): ` +
        "the runtime decoded a stored Content-Encoding, and the store ignored response-content-encoding",
    );
  return stream.pipeThrough(
    new TransformStream<Bytes, Bytes>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > length) controller.error(wrong());
        else controller.enqueue(chunk);
      },
      flush(controller) {
        if (seen !== length) controller.error(wrong());
      },
    }),
  );
}
