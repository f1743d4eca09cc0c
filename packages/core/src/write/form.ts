/**
 * `POST` of a `multipart/form-data` form to a folder: the listing page's upload (and any HTML form
 * with `<input type=file multiple>`). Each file goes through the same `put` as a `PUT`, created
 * (never replacing: replace with a `PUT`), under the folder at the file's own name, which may hold
 * `/` for a folder the page uploads with its files' relative paths: every segment is checked as a
 * request path's is. The answer lists what was stored: JSON for a script, or a redirect back to
 * the folder (303, Post/Redirect/Get) for a plain form.
 *
 * @module
 */
import { statusForError } from "../fs/errors.js";
import type { ResolvedPath } from "../fs/resolve.js";
import { preferredMediaType } from "../http/negotiate.js";
import { type Reply, reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { clientBody } from "./body.js";
import { codeOf, locationOf, type WriteContext } from "./context.js";
import { type FormFile, readForm } from "./form-parts.js";
import { refusedSegment } from "./names.js";

/** One file the form stored. */
interface Stored {
  /** Its path under the folder, as the form named it. */
  name: string;
  /** Its URL path. */
  href: string;
  size: number;
}

const encoder = new TextEncoder();

/**
 * The answer to a form `POST` to the folder `resolved`.
 *
 * @example
 * ```ts
 * if (request.method === "POST") return formUpload(context, request, resolved);
 * ```
 */
export async function formUpload(context: WriteContext, request: Request, resolved: ResolvedPath): Promise<Reply> {
  const refuse = (status: number, reason?: string) => context.error(status, false, undefined, reason);
  if ((await context.fs.stat(resolved.path))?.kind !== "directory") {
    return refuse(STATUS.NotFound, "a form uploads into a folder that exists");
  }
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type) || request.body === null) {
    return refuse(STATUS.UnsupportedMediaType, "a form upload is multipart/form-data");
  }
  const stored: Stored[] = [];
  const writes: Promise<void>[] = [];
  let failure: { status: number; reason: string } | undefined;
  const fail = (status: number, reason: string) => {
    failure ??= { status, reason };
  };
  const store = (file: FormFile): void => {
    const segments = file.filename.split("/");
    const depth = resolved.segments.length;
    const bad = segments.map((segment, index) => refusedSegment(segment, index + depth, context.dotfiles));
    const reason = bad.find((each) => each !== null);
    if (reason) {
      fail(STATUS.BadRequest, reason);
      void file.body.cancel();
      return;
    }
    const path = [resolved.path, ...segments].filter((part) => part !== "").join("/");
    const options = { mode: "create" as const, maxBytes: context.config.maxUploadSize, parents: true };
    writes.push(
      context.writes.put(path, file.body, options).then(
        (result) => {
          const href = locationOf(context.prefix, [...resolved.segments, ...segments], false);
          stored.push({ name: file.filename, href, size: result.stat.size });
        },
        (error: unknown) => fail(...failureOf(context, error)),
      ),
    );
  };
  let givenUp: unknown;
  try {
    const limits = { maxFiles: context.config.maxFormFiles, maxFileBytes: context.config.maxUploadSize };
    await readForm(clientBody(request), request.headers, limits, store);
  } catch (error) {
    // A file given up (ECANCELED) was given up by its write, which refused it before reading it
    // all (a folder through a link out of the root): that write's own failure says why, and it may
    // settle after the reading stops, so it is awaited first.
    if (codeOf(error) === "ECANCELED") givenUp = error;
    else fail(...failureOf(context, error));
  }
  await Promise.all(writes);
  // A file given up with no failure noted is unexplained: a 500, as any unexpected failure is.
  if (givenUp !== undefined && failure === undefined) fail(...failureOf(context, givenUp));
  return answer(context, request, resolved, stored, failure);
}

/** The status and sentence for a write or parse failure. */
function failureOf(context: WriteContext, error: unknown): [number, string] {
  const code = codeOf(error);
  if (code === "EEXIST") return [STATUS.Conflict, "a file of that name is there; replace it with a PUT"];
  if (code === "EMFORM") return [STATUS.ContentTooLarge, `a form holds at most ${context.config.maxFormFiles} files`];
  if (code === "EFBIG") {
    return [STATUS.ContentTooLarge, `this server takes files of at most ${context.config.maxUploadSize} bytes`];
  }
  if (code === "EBADMSG") return [STATUS.BadRequest, "the form is malformed"];
  const status = statusForError(error);
  if (status === undefined) throw error;
  return [status, "the file could not be stored"];
}

function answer(
  context: WriteContext,
  request: Request,
  folder: ResolvedPath,
  stored: readonly Stored[],
  failure: { status: number; reason: string } | undefined,
): Reply {
  const wantsJson =
    preferredMediaType(request.headers.get("accept"), ["text/html", "application/json"]) === "application/json";
  if (!wantsJson) {
    if (failure !== undefined) return context.error(failure.status, false, undefined, failure.reason);
    const headers = context.headers();
    headers.set("location", locationOf(context.prefix, folder.segments, true));
    return reply(STATUS.SeeOther, headers);
  }
  const body = encoder.encode(`${JSON.stringify({ stored, error: failure ?? null })}\n`);
  const headers = context.headers();
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("content-length", String(body.byteLength));
  return reply(failure?.status ?? STATUS.Created, headers, body);
}
