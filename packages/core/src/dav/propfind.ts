/**
 * PROPFIND (RFC 4918 §9.1) at depth 0 and 1: what a WebDAV client (rclone, cadaver, a mounted
 * drive) reads a folder with. It is a read: it needs no write switch, goes through authentication
 * as a GET does, and shows exactly what a listing shows, under the same rules.
 *
 * @module
 */
import { concatBytes } from "../fs/bytes.js";
import type { DirEntry, FileSystem } from "../fs/file-system.js";
import { encodeName } from "../fs/names.js";
import { type DotfilePolicy, type ResolvedPath, resolvePath } from "../fs/resolve.js";
import { type Reply, reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { listedEntries } from "../listing/listing.js";
import { multistatusXml, type Resource, responseXml, type TypeOf } from "./props.js";
import { DAV, type PropfindBody, parsePropfind } from "./xml.js";

/** What a PROPFIND needs of its handler. */
export interface DavContext {
  fs: FileSystem;
  /** The mount point, without a trailing slash: every href starts with it. */
  prefix: string;
  dotfiles: DotfilePolicy;
  /** Whether folders are listed (the `listing` option): a PROPFIND at depth 1 lists one only then. */
  listing: boolean;
  /** The `Content-Type` a GET of a file sends. */
  typeOf: TypeOf;
  /** Fresh headers holding what every response carries. */
  headers(): Headers;
  /** The server's error page for `status`, with `reason` when given. */
  error(status: number, head: boolean, headers?: Headers, reason?: string): Reply;
}

// A PROPFIND body names a few properties: 64 KiB holds thousands. A larger one is no PROPFIND a
// client sends, and is refused before it is read (RFC 9110 §15.5.14).
const MAX_BODY = 64 * 1024;
const XML = "application/xml; charset=utf-8";
const encoder = new TextEncoder();

/**
 * Answers a PROPFIND of `local` (the path under the mount prefix, still percent-encoded).
 *
 * @param context The handler's parts a PROPFIND uses.
 * @param request The PROPFIND.
 * @param local Its path under the mount prefix.
 * @returns A 207 Multi-Status, or the error that stops it (400, 403, 404, 413).
 * @example
 * ```ts
 * if (method === "PROPFIND") return propfind(context, request, local);
 * ```
 */
export async function propfind(context: DavContext, request: Request, local: string): Promise<Reply> {
  const resolved = resolvePath(local, context.dotfiles);
  if (typeof resolved === "number") return context.error(resolved, false);
  const depth = depthOf(request.headers.get("depth"));
  if (depth === null) return context.error(STATUS.BadRequest, false, undefined, "Depth is 0, 1 or infinity");
  // §9.1: a server may refuse depth infinity (absent means infinity), saying so with this
  // precondition (§16): a whole tree in one answer is a cost anyone could make this server pay.
  if (depth === "infinity") return davError(context, STATUS.Forbidden, "propfind-finite-depth");
  const text = await bodyText(request);
  if (typeof text === "number") return context.error(text, false);
  const asked = parsePropfind(text);
  if (asked === null) return context.error(STATUS.BadRequest, false, undefined, "the body is not a PROPFIND");
  const stat = await context.fs.stat(resolved.path);
  // What a GET answers 404 for: nothing there, a FIFO or a socket, a file asked for as a folder.
  if (stat === null || stat.kind === "other" || (stat.kind === "file" && resolved.trailingSlash)) {
    return context.error(STATUS.NotFound, false);
  }
  const self: Resource = { href: hrefOf(context.prefix, resolved.segments, stat.kind), name: nameOf(resolved), stat };
  const responses = [responseXml(self, asked, context.typeOf)];
  if (depth === "1" && stat.kind === "directory") {
    if (!context.listing) return context.error(STATUS.Forbidden, false, undefined, "folders are not listed here");
    responses.push(...(await members(context, resolved, asked)));
  }
  return xmlReply(context, STATUS.MultiStatus, multistatusXml(responses));
}

/**
 * The responses for the folder's members: those its listing shows, in name order. An entry the
 * adapter could not stat is listed as a plain name, but has nothing to say here: it is left out.
 */
async function members(context: DavContext, folder: ResolvedPath, asked: PropfindBody): Promise<string[]> {
  const entries = listedEntries(await context.fs.readDir(folder.path), folder.segments.length === 0, context.dotfiles);
  const shown = entries.filter(
    (entry): entry is DirEntry & { stat: NonNullable<DirEntry["stat"]> } => entry.stat !== null,
  );
  shown.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return shown.map(({ name, stat }) => {
    const href = hrefOf(context.prefix, [...folder.segments, name], stat.kind);
    return responseXml({ href, name, stat }, asked, context.typeOf);
  });
}

/** The `Depth` of a PROPFIND (§10.2): `"0"`, `"1"`, `"infinity"` (also when absent), or `null`. */
function depthOf(value: string | null): "0" | "1" | "infinity" | null {
  const depth = value?.trim().toLowerCase() ?? "infinity";
  return depth === "0" || depth === "1" || depth === "infinity" ? depth : null;
}

/** The body as text, or the status that refuses it: 413 past {@link MAX_BODY}, 400 if not UTF-8. */
async function bodyText(request: Request): Promise<string | number> {
  const length = request.headers.get("content-length");
  if (length !== null && Number(length) > MAX_BODY) return STATUS.ContentTooLarge;
  if (request.body === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      return STATUS.ContentTooLarge;
    }
    chunks.push(read.value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(concatBytes(...chunks));
  } catch {
    return STATUS.BadRequest;
  }
}

/** A resource's href: its segments percent-encoded under the prefix; a folder's ends with `/`. */
function hrefOf(prefix: string, segments: readonly string[], kind: string): string {
  const path = segments.map(encodeName).join("/");
  return `${prefix}/${path}${kind === "directory" && path !== "" ? "/" : ""}`;
}

function nameOf(resolved: ResolvedPath): string {
  return resolved.segments.at(-1) ?? "";
}

/** `status` with a DAV error body naming the precondition that failed (§16). */
function davError(context: DavContext, status: number, condition: string): Reply {
  return xmlReply(
    context,
    status,
    `<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="${DAV}"><D:${condition}/></D:error>\n`,
  );
}

function xmlReply(context: DavContext, status: number, xml: string): Reply {
  const bytes = encoder.encode(xml);
  const headers = context.headers();
  headers.set("content-type", XML);
  headers.set("content-length", String(bytes.byteLength));
  return reply(status, headers, bytes);
}
