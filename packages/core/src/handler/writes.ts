/**
 * A write's way through the handler (docs/writes.md): the switches, the page it comes from, the
 * path as a write must name it, then the method's answer in write/ (tus's in write/tus.ts, whose
 * HEAD of an upload URL is a write too: it tells of an upload, as a PATCH changes it).
 *
 * @module
 */
import { resolvePath } from "../fs/resolve.js";
import type { Reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import type { WriteContext } from "../write/context.js";
import { crossSiteRefusal } from "../write/guard.js";
import { isWrite, writeAllowed } from "../write/methods.js";
import { isTusRequest, tusOptions, uploadIdOf } from "../write/tus-request.js";
import type { Site } from "./site.js";

/** The methods write/folders.ts answers: a folder made, a name removed, moved or copied. */
const FOLDER_METHODS: ReadonlySet<string> = new Set(["MKCOL", "DELETE", "MOVE", "COPY"]);

/** The write answers of a handler. */
export interface WriteAnswer {
  /** Answers a write to the local path `local` (under the mount prefix, still percent-encoded), with its query. */
  (request: Request, local: string, search: string): Promise<Reply>;
  /** Whether a request of `method` with the query `search` is a write (a tus HEAD is one, once tus is on). */
  takes(method: string, search: string): boolean;
  /** The headers an OPTIONS answer adds: tus's, when it is offered. */
  options: readonly [string, string][];
}

/**
 * The write answers of one handler.
 *
 * @param site the handler's shared parts
 * @returns the answer to any write method
 * @example
 * ```ts
 * const write = writeAnswers(site);
 * if (write.takes(request.method, search)) return write(request, local, search);
 * ```
 */
export function writeAnswers(site: Site): WriteAnswer {
  const { config } = site;
  const context: WriteContext | null =
    config.write === null || config.fs.writes === undefined
      ? null
      : {
          fs: config.fs,
          writes: config.fs.writes,
          config: config.write,
          prefix: config.prefix,
          dotfiles: config.dotfiles,
          headers: site.headers,
          error: site.error,
        };
  const resumable = context?.writes.partial !== undefined;
  const answer = async (request: Request, local: string, search: string): Promise<Reply> => {
    const { method } = request;
    const id = uploadIdOf(search);
    const speaksTus = isTusRequest(request, id);
    // tus creates (PATCH and its termination included): the upload switch, and a filesystem that resumes.
    const allowed = speaksTus ? resumable && config.write?.upload === true : writeAllowed(config.write, method);
    if (context === null || !allowed) {
      const headers = site.headers();
      headers.set("allow", config.allow);
      return site.error(STATUS.MethodNotAllowed, false, headers);
    }
    const crossSite = crossSiteRefusal(request, config.corsOrigin);
    if (crossSite !== null) return site.error(STATUS.Forbidden, false, undefined, crossSite);
    const resolved = resolvePath(local, config.dotfiles);
    if (resolved === STATUS.BadRequest) return site.error(STATUS.BadRequest, false);
    // A hidden name is not written, whatever a read of it would answer (404 or 403).
    if (typeof resolved === "number") {
      return site.error(STATUS.Forbidden, false, undefined, "dotfiles are not written (--dotfiles allow)");
    }
    // Each answer's module loads with the first write it answers: a server whose writes are off,
    // or that is only read, never loads a form parser (docs/performance.md, "What start-up loads").
    if (speaksTus) return (await import("../write/tus.js")).tus(context, request, resolved, id);
    if (method === "PUT") return (await import("../write/put.js")).put(context, request, resolved);
    if (FOLDER_METHODS.has(method)) {
      const { mkcol, relocate, remove } = await import("../write/folders.js");
      if (method === "MKCOL") return mkcol(context, request, resolved);
      if (method === "DELETE") return remove(context, request, resolved);
      return relocate(context, request, resolved);
    }
    return (await import("../write/form.js")).formUpload(context, request, resolved);
  };
  const tusOn = resumable && config.write?.upload === true;
  return Object.assign(answer, {
    takes: (method: string, search: string) =>
      isWrite(method) || (tusOn && method === "HEAD" && uploadIdOf(search) !== null),
    options: tusOptions(config.write, resumable),
  });
}
