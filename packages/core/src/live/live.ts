/**
 * Live reload, as the handler sees it: the option, the route of the event stream, and the one
 * transform of every final reply that puts the script into pages. The work is in inject.ts and
 * events.ts, loaded when a handler has the option on, so a server without it never parses them.
 *
 * @module
 */
import type { Reply } from "../http/reply.js";
import type { ChangeSource } from "./feed.js";
import type { Respond } from "./inject.js";

/**
 * The stream's path under the mount prefix. A dot-folder, because under the default dotfile
 * policy (`ignore`) no file of the site can be served there (`.simplehttp/` answers 404), so the
 * path never hides a page; with `dotfiles: "allow"` a file there is shadowed while live reload
 * is on, which a site has no reason to hold.
 */
export const EVENTS_PATH = "/.simplehttp/live";

/** The handler's `liveReload` option. */
export interface LiveReloadOptions {
  /**
   * What changed under the root, as the adapter's watcher reports it (`@simplehttp/core/live`'s
   * `changeFeed()`); the adapters' `serve({ liveReload: true })` makes one for their directory.
   */
  changes: ChangeSource;
  /**
   * Milliseconds between the comments that keep an idle event stream open (Bun closes a
   * connection idle for 30 s, proxies sooner).
   * @default 15000
   * @example 5000
   */
  heartbeatMs?: number;
}

/** Live reload for one handler. */
export interface Live {
  /** The event stream's answer when `local` (the path under the mount prefix) is its path, else `null`. */
  stream(request: Request, local: string): Promise<Reply> | null;
  /** `respond`, with the script put into the pages it answers (inject.ts's rules). */
  replies(respond: Respond): Respond;
}

/**
 * Live reload for a handler mounted at `prefix`, or `null` when the option is off.
 *
 * @param options the handler's `liveReload` option
 * @param prefix the handler's mount prefix (settled: no trailing slash)
 * @param headers the headers every answer carries, fresh
 * @returns what the handler calls, or `null`
 */
export function liveReload(
  options: LiveReloadOptions | undefined,
  prefix: string,
  headers: () => Headers,
): Live | null {
  if (options === undefined) return null;
  const heartbeatMs = Math.max(1, options.heartbeatMs ?? 15_000);
  const parts = Promise.all([import("./events.js"), import("./inject.js")]);
  // Settled when the first request comes, or an unhandled rejection should the import fail.
  parts.catch(() => {});
  return {
    stream(request, local) {
      if (local !== EVENTS_PATH || (request.method !== "GET" && request.method !== "HEAD")) return null;
      return parts.then(([{ eventStream }]) => {
        const { status, headers: fields, body } = eventStream(request, { ...options, heartbeatMs }, prefix, headers());
        return { status, headers: fields, body, encoded: false };
      });
    },
    replies(respond) {
      const injecting = parts.then(([, { pageInjector }]) => pageInjector(`${prefix}${EVENTS_PATH}`));
      return async (request, target) => (await injecting)(request, target, respond);
    },
  };
}
