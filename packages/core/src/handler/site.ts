/**
 * What the handler's parts share, made once per handler: the settled options, the headers every
 * response carries, error pages, and the answer for a file found.
 *
 * @module
 */
import type { OpenedFile } from "../fs/file-system.js";
import { errorPage } from "../http/html.js";
import { type Reply, reply } from "../http/reply.js";
import { ReplyHeaders } from "../http/reply-headers.js";
import type { Config } from "./config.js";
import { serveFile } from "./file-response.js";

const HTML = "text/html; charset=utf-8";
const encoder = new TextEncoder();

/** The handler's shared parts; see {@link siteOf}. */
export interface Site {
  config: Config;
  /** Fresh headers holding what every response carries (Server, custom headers, CORS): a ReplyHeaders. */
  headers(): Headers;
  /**
   * The server's own page for an error `status`: the same bytes on every runtime, with the common
   * headers (or `headers`, which should start from {@link Site.headers}), no body for a HEAD;
   * with `reason`, one of the server's own sentences saying why (never the request's words).
   */
  error(status: number, head: boolean, headers?: Headers, reason?: string): Reply;
  /** Answers `request` with the file at `path` (named `name`), as `opened` found it. */
  file(request: Request, path: string, name: string, opened: OpenedFile): Promise<Reply>;
}

/**
 * The shared parts of a handler with `config`.
 *
 * @param config The settled options.
 * @returns The {@link Site} every part of that handler answers through.
 * @example
 * ```ts
 * const site = siteOf(resolveOptions({ fs }));
 * return site.error(STATUS.NotFound, request.method === "HEAD");
 * ```
 */
export function siteOf(config: Config): Site {
  const headers = (): Headers => new ReplyHeaders(config.common);
  // An error page depends only on its status and reason (one of the server's own): encoded once.
  const pages = new Map<string, Uint8Array<ArrayBuffer>>();
  const error = (status: number, head: boolean, given = headers(), reason?: string): Reply => {
    const key = reason === undefined ? String(status) : `${status} ${reason}`;
    let page = pages.get(key);
    if (page === undefined) {
      page = encoder.encode(errorPage(status, reason));
      pages.set(key, page);
    }
    given.set("content-type", HTML);
    given.set("content-length", String(page.byteLength));
    return reply(status, given, head ? null : page);
  };
  const file = (request: Request, path: string, name: string, opened: OpenedFile): Promise<Reply> => {
    const head = request.method === "HEAD";
    return serveFile(
      config,
      request,
      { path, name, stat: opened.stat },
      headers(),
      (status, given) => error(status, head, given),
      opened,
    );
  };
  return { config, headers, error, file };
}
