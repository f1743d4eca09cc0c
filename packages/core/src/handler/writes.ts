/**
 * A write's way through the handler (docs/writes.md): the switches, the page it comes from, the
 * path as a write must name it, then the method's answer in write/.
 *
 * @module
 */
import { resolvePath } from "../fs/resolve.js";
import type { Reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import type { WriteContext } from "../write/context.js";
import { mkcol, relocate, remove } from "../write/folders.js";
import { formUpload } from "../write/form.js";
import { crossSiteRefusal } from "../write/guard.js";
import { writeAllowed } from "../write/methods.js";
import { put } from "../write/put.js";
import type { Site } from "./site.js";

/** Answers a write to the local path `local` (under the mount prefix, still percent-encoded). */
export type WriteAnswer = (request: Request, local: string) => Promise<Reply>;

/**
 * The write answers of one handler.
 *
 * @param site the handler's shared parts
 * @returns the answer to any write method
 * @example
 * ```ts
 * const write = writeAnswers(site);
 * if (isWrite(request.method)) return write(request, local);
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
  return async (request, local) => {
    const { method } = request;
    if (context === null || !writeAllowed(config.write, method)) {
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
    if (method === "PUT") return put(context, request, resolved);
    if (method === "MKCOL") return mkcol(context, request, resolved);
    if (method === "DELETE") return remove(context, request, resolved);
    if (method === "MOVE" || method === "COPY") return relocate(context, request, resolved);
    return formUpload(context, request, resolved);
  };
}
