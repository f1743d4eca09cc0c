/**
 * The files of a `multipart/form-data` body (RFC 7578), each handed on as a stream while the body
 * is still arriving: a form of any size passes through the server a chunk at a time. The parser is
 * multipasta (push-based, no runtime API); this module adds the backpressure it leaves to its
 * caller: the request body is read no faster than the current file is written.
 *
 * @module
 */
import { type MultipartError, make, type PartInfo } from "multipasta";

/** One file of the form, as it arrives. */
export interface FormFile {
  /** The form field's name. */
  field: string;
  /** The file name the browser sent (the file's relative path, for a folder our page uploads). */
  filename: string;
  /** Its bytes; reading it is what lets the body be read further. */
  body: ReadableStream<Uint8Array>;
}

/** Limits of one form. */
export interface FormLimits {
  /** The most files; one more is `EMFORM`. */
  maxFiles: number;
  /** The most bytes of any one file (the upload cap): past it the file's stream errors, `EFBIG`. */
  maxFileBytes: number;
}

/** A parse failure, with a code the form's answer maps to a status (write/form.ts). */
const failure = (code: string, message: string): Error => Object.assign(new Error(message), { code });

function parseError(error: MultipartError): Error {
  if (error._tag === "ReachedLimit") {
    return error.limit === "MaxParts"
      ? failure("EMFORM", "too many parts in the form")
      : failure("EFBIG", "a part of the form is too large");
  }
  return failure("EBADMSG", `the form is malformed (${error._tag})`);
}

/**
 * Reads the form `body` (its `Content-Type` in `headers`), calling `onFile` for each file as it
 * starts; resolves once the body is read, or rejects with the first failure (malformed, over a
 * limit, or a file's stream cancelled by its reader, which stops the reading).
 *
 * @example
 * ```ts
 * const writes: Promise<unknown>[] = [];
 * await readForm(request.body, request.headers, limits, (file) => writes.push(store(file)));
 * ```
 */
export async function readForm(
  body: ReadableStream<Uint8Array>,
  headers: Headers,
  limits: FormLimits,
  onFile: (file: FormFile) => void,
): Promise<void> {
  let failed: Error | undefined;
  // The file being received, and what wakes the reading up when its reader wants more.
  let current: ReadableStreamDefaultController<Uint8Array> | undefined;
  let wake: (() => void) | undefined;
  const woken = () => {
    wake?.();
    wake = undefined;
  };
  let files = 0;
  const parser = make({
    headers: { "content-type": headers.get("content-type") ?? "" },
    maxParts: limits.maxFiles + 64, // the fields beside the files count as parts too
    maxPartSize: limits.maxFileBytes,
    isFile: (info) => info.filename !== undefined,
    onField: () => {},
    onFile: (info: PartInfo) => {
      files++;
      if (files > limits.maxFiles) failed ??= failure("EMFORM", `more than ${limits.maxFiles} files in one form`);
      let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
      const stream = new ReadableStream<Uint8Array>(
        {
          start: (made) => {
            controller = made;
          },
          pull: woken,
          cancel: () => {
            failed ??= failure("ECANCELED", "a file of the form was given up");
            woken();
          },
        },
        { highWaterMark: 1 },
      );
      current = controller;
      onFile({ field: info.name, filename: info.filename ?? "", body: stream });
      return (chunk) => {
        if (controller === undefined || failed !== undefined) return;
        if (chunk !== null) return controller.enqueue(chunk);
        controller.close();
        if (current === controller) current = undefined;
      };
    },
    onError: (error) => {
      failed ??= parseError(error);
      woken();
    },
    onDone: () => {},
  });
  const reader = body.getReader();
  try {
    for (;;) {
      // Backpressure: no more of the body until the file being written wants more of it.
      while (failed === undefined && current !== undefined && (current.desiredSize ?? 1) <= 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (failed !== undefined) throw failed;
      const { done, value } = await reader.read();
      if (done) break;
      parser.write(value);
    }
    parser.end();
    if (failed !== undefined) throw failed;
  } catch (error) {
    await reader.cancel().catch(() => {});
    try {
      current?.error(error);
    } catch {
      // the stream ended already
    }
    throw error;
  }
}
