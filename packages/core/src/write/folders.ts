/**
 * WebDAV's changes to the tree (RFC 4918 §9.3, §9.6, §9.8, §9.9): `MKCOL`, `DELETE`, `MOVE` and
 * `COPY`. The `Destination` of a move or a copy goes through every check a request path does.
 *
 * @module
 */
import { type ResolvedPath, resolvePath } from "../fs/resolve.js";
import { type Reply, reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { codeOf, locationOf, type WriteContext } from "./context.js";
import { destinationOf } from "./destination.js";
import { refusedName } from "./names.js";
import { writeCondition } from "./preconditions.js";

/**
 * `MKCOL`: a new folder (RFC 4918 §9.3.1): 201; 405 when something is there; 409 when its parent
 * is missing; 415 when the request has a body (this server knows no MKCOL body).
 *
 * @example
 * ```ts
 * if (request.method === "MKCOL") return mkcol(context, request, resolved);
 * ```
 */
export async function mkcol(context: WriteContext, request: Request, resolved: ResolvedPath): Promise<Reply> {
  if (resolved.segments.length === 0)
    return context.error(STATUS.MethodNotAllowed, false, undefined, "the root is there");
  const bad = resolved.segments.map(refusedName).find((reason) => reason !== null);
  if (bad) return context.error(STATUS.BadRequest, false, undefined, bad);
  if (hasBody(request)) return context.error(STATUS.UnsupportedMediaType, false, undefined, "MKCOL takes no body");
  try {
    await context.writes.mkdir(resolved.path);
  } catch (error) {
    const code = codeOf(error);
    if (code === "EEXIST") return context.error(STATUS.MethodNotAllowed, false, undefined, "something is there");
    if (code === "ENOENT" || code === "ENOTDIR") {
      return context.error(STATUS.Conflict, false, undefined, "its parent folder is missing");
    }
    throw error;
  }
  return created(context, resolved.segments, true);
}

/**
 * `DELETE` of a file, or of a folder with everything below it: 204; 404 when nothing is there;
 * 412 when `If-Match` names another version. The root itself is never deleted.
 *
 * @example
 * ```ts
 * if (request.method === "DELETE") return remove(context, request, resolved);
 * ```
 */
export async function remove(context: WriteContext, request: Request, resolved: ResolvedPath): Promise<Reply> {
  if (resolved.segments.length === 0) {
    return context.error(STATUS.Forbidden, false, undefined, "the root itself is never deleted");
  }
  const current = await context.fs.stat(resolved.path);
  if (current === null) return context.error(STATUS.NotFound, false);
  if (!writeCondition(request.headers, current).holds) return context.error(STATUS.PreconditionFailed, false);
  await context.writes.remove(resolved.path);
  return noContent(context);
}

/**
 * `MOVE` or `COPY` of `resolved` to the request's `Destination` (RFC 4918 §9.8, §9.9): 201 when
 * the destination is new, 204 when it was replaced (`Overwrite: T`, the default, which needs the
 * delete switch), 412 when it exists and `Overwrite: F`, 404 when the source is missing, 409 when
 * the destination's parent is, 403 when both are the same.
 *
 * @example
 * ```ts
 * if (request.method === "MOVE" || request.method === "COPY") return relocate(context, request, resolved);
 * ```
 */
export async function relocate(context: WriteContext, request: Request, resolved: ResolvedPath): Promise<Reply> {
  const refuse = (status: number, reason?: string) => context.error(status, false, undefined, reason);
  const move = request.method === "MOVE";
  const destination = destinationOf(request, context.prefix);
  if (typeof destination === "string") return refuse(STATUS.BadRequest, destination);
  if (destination === null) return refuse(STATUS.BadGateway, "the Destination is on another server");
  const target = resolvePath(destination.pathname, context.dotfiles);
  if (target === STATUS.BadRequest) return refuse(STATUS.BadRequest, "the Destination is not a path this server takes");
  if (typeof target === "number") return refuse(STATUS.Forbidden, "dotfiles are not written (--dotfiles allow)");
  const refusal = await destinationRefusal(context, request, resolved, target);
  if (refusal !== null) return refusal;
  const overwrite = (request.headers.get("overwrite") ?? "T").toUpperCase() !== "F";
  try {
    const done = move
      ? await context.writes.move(resolved.path, target.path, overwrite)
      : await context.writes.copy(resolved.path, target.path, overwrite);
    if (!done.created) return noContent(context);
    const folder = (await context.fs.stat(target.path))?.kind === "directory";
    return created(context, target.segments, folder);
  } catch (error) {
    const code = codeOf(error);
    if (code === "EEXIST" && !overwrite) {
      return refuse(STATUS.PreconditionFailed, "the Destination exists, and Overwrite is F");
    }
    // With Overwrite: T, what refuses is what is never replaced: a link (or a special file) there.
    if (code === "EEXIST") return refuse(STATUS.Conflict, "a link at the Destination is never replaced");
    if (code === "ENOENT" || code === "ENOTDIR") return refuse(STATUS.Conflict, "the Destination's folder is missing");
    throw error;
  }
}

/** Why the move or copy of `source` to `target` must not happen, or `null`. */
async function destinationRefusal(
  context: WriteContext,
  request: Request,
  source: ResolvedPath,
  target: ResolvedPath,
): Promise<Reply | null> {
  const refuse = (status: number, reason?: string) => context.error(status, false, undefined, reason);
  if (source.segments.length === 0 || target.segments.length === 0) return refuse(STATUS.Forbidden, "the root stays");
  const bad = target.segments.map(refusedName).find((reason) => reason !== null);
  if (bad) return refuse(STATUS.BadRequest, bad);
  if (source.path === target.path) return refuse(STATUS.Forbidden, "the source and the Destination are the same");
  if ((await context.fs.stat(source.path)) === null) return refuse(STATUS.NotFound);
  const depth = request.headers.get("depth");
  if (depth !== null && depth.toLowerCase() !== "infinity" && request.method === "COPY") {
    return refuse(STATUS.BadRequest, "only a whole copy (Depth: infinity) is made");
  }
  const existing = await context.fs.stat(target.path);
  const overwrite = (request.headers.get("overwrite") ?? "T").toUpperCase() !== "F";
  if (existing !== null && overwrite && !context.config.delete) {
    return refuse(STATUS.Forbidden, "replacing what is at the Destination needs --delete");
  }
  return null;
}

function created(context: WriteContext, segments: readonly string[], folder: boolean): Reply {
  const headers = context.headers();
  headers.set("location", locationOf(context.prefix, segments, folder));
  headers.set("content-length", "0");
  return reply(STATUS.Created, headers);
}

function noContent(context: WriteContext): Reply {
  return reply(STATUS.NoContent, context.headers());
}

/** Whether the request says it carries a body (a length above 0, or chunked). */
function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  return request.headers.has("transfer-encoding") || (length !== null && length.trim() !== "0");
}
