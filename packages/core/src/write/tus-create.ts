/**
 * tus's creation (tus 1.0 §Creation): a POST to a folder with `Upload-Length` and the file's name
 * in `Upload-Metadata` (`filename`, base64, as tus-js-client and Uppy send it; with `/` for a file
 * of a folder uploaded, each segment checked as a form's are) begins an upload, answered
 * `201 Created` with its URL. Whether something may be at the name is decided as for a PUT: a
 * folder never, a file only with `--delete`; the commit decides again at the end.
 *
 * @module
 */
import type { WriteMode } from "../fs/writes.js";
import { formatHttpDate } from "../http/dates.js";
import { type Reply, reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { codeOf, locationOf } from "./context.js";
import { refusedSegment } from "./names.js";
import { count, refusal, type TusExchange } from "./tus-exchange.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The answer to a creation POST (its `Tus-Resumable` checked).
 *
 * @example
 * ```ts
 * if (method === "POST" && id === null) return createUpload(exchange);
 * ```
 */
export async function createUpload(exchange: TusExchange): Promise<Reply> {
  const { context, partial, request, resolved, refuse } = exchange;
  const { headers } = request;
  if (headers.has("upload-defer-length") || headers.has("upload-concat")) {
    return refuse(STATUS.BadRequest, "only Upload-Length is offered (creation; no defer-length, no concatenation)");
  }
  if (headers.get("content-type")?.toLowerCase().startsWith("application/offset+octet-stream")) {
    return refuse(STATUS.BadRequest, "creation-with-upload is not offered: send the bytes with PATCH");
  }
  const length = count(headers.get("upload-length"));
  if (typeof length !== "number") return refuse(STATUS.BadRequest, "Upload-Length is not a length");
  // tus 1.0 §POST: past Tus-Max-Size, 413.
  const max = context.config.maxUploadSize;
  if (length > max) return refuse(STATUS.ContentTooLarge, `this server takes files of at most ${max} bytes`);
  const name = filenameOf(headers.get("upload-metadata"));
  if (name === null) return refuse(STATUS.BadRequest, "Upload-Metadata names no filename (base64 UTF-8)");
  const segments = name.split("/");
  const depth = resolved.segments.length;
  const bad = segments.map((segment, index) => refusedSegment(segment, depth + index, context.dotfiles));
  const reason = bad.find((each) => each !== null);
  if (reason) return refuse(STATUS.BadRequest, reason);
  if ((await context.fs.stat(resolved.path))?.kind !== "directory") {
    return refuse(STATUS.NotFound, "a tus upload goes into a folder that exists");
  }
  const target = [...resolved.segments, ...segments];
  const path = target.join("/");
  const present = await context.fs.stat(path);
  if (present !== null && present.kind !== "file") return refuse(STATUS.Conflict, "a folder is there");
  if (present !== null && !context.config.delete) {
    return refuse(STATUS.Conflict, "a file is there; replacing it needs --delete");
  }
  const metadata = headers.get("upload-metadata") ?? undefined;
  const mode: WriteMode = present === null ? "create" : "replace";
  let id: string;
  try {
    id = await partial.begin(path, { length, mode, maxBytes: max, parents: true, metadata });
    // tus 1.0 §Creation: an empty upload is complete once created.
    if (length === 0) await partial.finish(path, id);
  } catch (error) {
    if (codeOf(error) === "EFBIG") return refuse(STATUS.ContentTooLarge, `files of at most ${max} bytes`);
    return refusal(exchange, error);
  }
  const answer = exchange.headers();
  const location = locationOf(context.prefix, target, false);
  answer.set("location", length === 0 ? location : `${location}?tus=${id}`);
  const status = length === 0 ? null : await partial.status(path, id);
  if (status !== null) answer.set("upload-expires", formatHttpDate(status.expiresMs));
  answer.set("content-length", "0");
  return reply(STATUS.Created, answer);
}

/**
 * The `filename` of an `Upload-Metadata` value (tus 1.0 §Upload-Metadata: comma-separated
 * `key base64value` pairs, keys unique), decoded as UTF-8; null when there is none, or the value
 * is malformed. Other keys are kept only as the header, never read.
 */
function filenameOf(value: string | null): string | null {
  if (value === null) return null;
  const keys = new Set<string>();
  let filename: string | null = null;
  for (const pair of value.split(",")) {
    const [key = "", encoded = "", extra] = pair.trim().split(" ");
    if (key === "" || extra !== undefined || keys.has(key)) return null;
    keys.add(key);
    if (key === "filename") filename = decoded(encoded);
  }
  return filename;
}

/** Base64 of UTF-8 text, decoded; null when it is not. */
function decoded(encoded: string): string | null {
  try {
    return utf8.decode(Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)));
  } catch {
    return null;
  }
}
