/**
 * `PUT`: a file's bytes, stored at its path (RFC 9110 §9.3.4), creating missing parent folders.
 * 201 Created with `Location` for a new file, 204 for a replaced one, each with the new `ETag`.
 *
 * @module
 */
import type { ResolvedPath } from "../fs/resolve.js";
import type { WriteMode } from "../fs/writes.js";
import { fileETag } from "../http/etag.js";
import { type Reply, reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { clientBody } from "./body.js";
import { codeOf, locationOf, type WriteContext } from "./context.js";
import { refusedName } from "./names.js";
import { writeCondition } from "./preconditions.js";

/**
 * The answer to a `PUT` of `resolved` (already checked as a path, and allowed by the switches).
 *
 * @param context the handler's writes
 * @param request the `PUT`, whose body is the file
 * @param resolved its path
 * @returns 201, 204, or the refusal
 * @example
 * ```ts
 * if (request.method === "PUT") return put(context, request, resolved);
 * ```
 */
export async function put(context: WriteContext, request: Request, resolved: ResolvedPath): Promise<Reply> {
  const { config, fs, writes } = context;
  const refuse = (status: number, reason: string) => context.error(status, false, undefined, reason);
  if (resolved.trailingSlash || resolved.segments.length === 0) {
    return refuse(STATUS.MethodNotAllowed, "a folder takes no PUT: name the file");
  }
  const bad = resolved.segments.map(refusedName).find((reason) => reason !== null);
  if (bad) return refuse(STATUS.BadRequest, bad);
  const length = declaredLength(request);
  if (length === "invalid") return refuse(STATUS.BadRequest, "Content-Length is not a length");
  // RFC 9110 §15.5.14: refused before a byte of the body is read.
  if (length !== undefined && length > config.maxUploadSize) {
    return refuse(STATUS.ContentTooLarge, `this server takes files of at most ${config.maxUploadSize} bytes`);
  }
  const current = await fs.stat(resolved.path);
  if (current !== null && current.kind !== "file") return refuse(STATUS.Conflict, "a folder is there");
  const condition = writeCondition(request.headers, current);
  if (!condition.holds) return context.error(STATUS.PreconditionFailed, false);
  const replacing = current !== null && !condition.createOnly;
  if (replacing && !config.delete) return refuse(STATUS.Conflict, "a file is there; replacing it needs --delete");
  const mode: WriteMode = replacing ? "replace" : "create";
  const body = clientBody(request);
  try {
    const options = { mode, expected: condition.expected, maxBytes: config.maxUploadSize, length, parents: true };
    const result = await writes.put(resolved.path, body, options);
    const headers = context.headers();
    const etag = fileETag(result.stat);
    if (etag !== undefined) headers.set("etag", etag);
    headers.set("content-length", "0");
    if (!result.created) return reply(STATUS.NoContent, headers);
    headers.set("location", locationOf(context.prefix, resolved.segments, false));
    return reply(STATUS.Created, headers);
  } catch (error) {
    // Another write got there first: a create asked for with If-None-Match is a failed precondition.
    if (codeOf(error) === "EEXIST" && condition.createOnly) return context.error(STATUS.PreconditionFailed, false);
    if (codeOf(error) === "EEXIST") return refuse(STATUS.Conflict, "something is there that no write replaces");
    if (codeOf(error) === "EFBIG") {
      return refuse(STATUS.ContentTooLarge, `this server takes files of at most ${config.maxUploadSize} bytes`);
    }
    throw error;
  }
}

/** The `Content-Length` of `request`: a length, none, or one that is not a length. */
function declaredLength(request: Request): number | undefined | "invalid" {
  const value = request.headers.get("content-length");
  if (value === null) return undefined;
  return /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : "invalid";
}
