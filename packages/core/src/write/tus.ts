/**
 * tus 1.0 (tus.io's resumable upload protocol, protocol.md of tus-resumable-upload-protocol): a big
 * file sent in pieces that survives a broken connection, for tus-js-client, Uppy and the other
 * clients. Core, creation, termination and expiration, on the filesystem's resumable uploads
 * (fs/writes.ts, `PartialWrites`): the file appears at its name only when complete, through put's
 * commit. A filesystem without them (a store) offers no tus.
 *
 * The upload URL is the final file's URL with `?tus=<id>` (128 random bits): the id is bound to
 * that path, so a URL with another path finds nothing, and the path goes through every check a
 * request path does, as a PUT's would. Only HEAD, PATCH and DELETE (and POST with
 * `X-HTTP-Method-Override`) read the `tus` query; a GET of the same URL reads the file, which is
 * there once the upload is complete.
 *
 * @module
 */
import type { ResolvedPath } from "../fs/resolve.js";
import type { PartialStatus } from "../fs/writes.js";
import { formatHttpDate } from "../http/dates.js";
import { type Reply, reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { clientBody } from "./body.js";
import type { WriteContext } from "./context.js";
import { createUpload } from "./tus-create.js";
import { count, refusal, type TusExchange } from "./tus-exchange.js";
import { TUS_VERSION } from "./tus-request.js";

const OFFSET_STREAM = "application/offset+octet-stream";

/**
 * The answer to a tus request for `resolved` (checked as a path, the switches and the page it
 * comes from allowed): the upload `id` names, or, for a creation, the folder it goes into.
 *
 * @example
 * ```ts
 * if (isTusRequest(request, id)) return tus(context, request, resolved, id);
 * ```
 */
export async function tus(
  context: WriteContext,
  request: Request,
  resolved: ResolvedPath,
  id: string | null,
): Promise<Reply> {
  const method = methodOf(request, id);
  const headers = (): Headers => {
    const given = context.headers();
    given.set("tus-resumable", TUS_VERSION);
    return given;
  };
  const refuse = (status: number, reason?: string, more = headers()): Reply => {
    more.set("tus-resumable", TUS_VERSION);
    return context.error(status, method === "HEAD", more, reason);
  };
  const partial = context.writes.partial;
  if (partial === undefined) return refuse(STATUS.MethodNotAllowed, "this filesystem takes no resumable uploads");
  // tus 1.0 §Tus-Resumable: another version, or none, is refused unprocessed, naming ours.
  if (request.headers.get("tus-resumable") !== TUS_VERSION) {
    const more = headers();
    more.set("tus-version", TUS_VERSION);
    return refuse(STATUS.PreconditionFailed, `this server speaks tus ${TUS_VERSION}`, more);
  }
  const exchange: TusExchange = { context, partial, request, resolved, headers, refuse };
  if (method === "POST" && id === null) return createUpload(exchange);
  if (id === null) return refuse(STATUS.NotFound, "no upload here: a tus upload begins with a POST to its folder");
  if (method === "HEAD") return head(exchange, id);
  if (method === "PATCH") return patch(exchange, id);
  if (method === "DELETE") return terminate(exchange, id);
  return refuse(STATUS.BadRequest, "a POST to an upload URL says X-HTTP-Method-Override: PATCH or DELETE");
}

/**
 * The method `request` stands for: a POST to an upload URL may carry another in
 * `X-HTTP-Method-Override`, for a client that cannot send PATCH or DELETE (tus 1.0 §Headers).
 */
function methodOf(request: Request, id: string | null): string {
  if (request.method !== "POST" || id === null) return request.method;
  return request.headers.get("x-http-method-override")?.trim().toUpperCase() ?? "POST";
}

/** HEAD: where the upload stands, never cached (tus 1.0 §HEAD). A complete one is committed first. */
async function head(exchange: TusExchange, id: string): Promise<Reply> {
  const { partial, resolved } = exchange;
  const status = await partial.status(resolved.path, id);
  if (status === null) {
    const gone = exchange.headers();
    gone.set("cache-control", "no-store");
    return exchange.refuse(STATUS.NotFound, "no such upload: finished, terminated or expired", gone);
  }
  // Complete but not committed (its last PATCH broke after its last byte): a client told
  // offset = length takes the upload for done, so the file must be there.
  if (status.offset === status.length) {
    const refused = await committed(exchange, id);
    if (refused !== null) return refused;
  }
  const headers = progress(exchange, status);
  headers.set("upload-length", String(status.length));
  headers.set("cache-control", "no-store");
  if (status.metadata !== undefined) headers.set("upload-metadata", status.metadata);
  return reply(STATUS.OK, headers);
}

/** PATCH: a piece at the upload's offset (tus 1.0 §PATCH); the last one commits the file. */
async function patch(exchange: TusExchange, id: string): Promise<Reply> {
  const { partial, request, resolved, refuse } = exchange;
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== OFFSET_STREAM) return refuse(STATUS.UnsupportedMediaType, `a piece is sent as ${OFFSET_STREAM}`);
  const offset = count(request.headers.get("upload-offset"));
  const length = count(request.headers.get("content-length"));
  if (typeof offset !== "number") return refuse(STATUS.BadRequest, "Upload-Offset is not an offset");
  if (length === null) return refuse(STATUS.BadRequest, "Content-Length is not a length");
  const status = await partial.status(resolved.path, id);
  if (status === null) return refuse(STATUS.NotFound, "no such upload: finished, terminated or expired");
  if (offset !== status.offset) return refuse(STATUS.Conflict, `the upload is at ${status.offset}: ask with HEAD`);
  // Refused before a byte is read, when the body says its length.
  if (length !== undefined && offset + length > status.length) {
    return refuse(STATUS.ContentTooLarge, `the upload holds ${status.length} bytes`);
  }
  let now: PartialStatus;
  try {
    now = await partial.append(resolved.path, id, offset, clientBody(request));
  } catch (error) {
    return refusal(exchange, error);
  }
  const refused = now.offset === now.length ? await committed(exchange, id) : null;
  return refused ?? reply(STATUS.NoContent, progress(exchange, now));
}

/** DELETE: the upload terminated, what it stored removed (tus 1.0 §Termination). */
async function terminate(exchange: TusExchange, id: string): Promise<Reply> {
  try {
    await exchange.partial.abort(exchange.resolved.path, id);
  } catch (error) {
    return refusal(exchange, error);
  }
  return reply(STATUS.NoContent, exchange.headers());
}

/** Commits the complete upload `id`: null once the file is at its name, else the refusal (the upload is over). */
async function committed(exchange: TusExchange, id: string): Promise<Reply | null> {
  try {
    await exchange.partial.finish(exchange.resolved.path, id);
    return null;
  } catch (error) {
    return refusal(exchange, error);
  }
}

/** `Upload-Offset`, and `Upload-Expires` while the upload is incomplete (tus 1.0 §Expiration). */
function progress(exchange: TusExchange, status: PartialStatus): Headers {
  const headers = exchange.headers();
  headers.set("upload-offset", String(status.offset));
  if (status.offset < status.length) headers.set("upload-expires", formatHttpDate(status.expiresMs));
  return headers;
}
