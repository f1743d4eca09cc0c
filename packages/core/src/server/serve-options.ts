/**
 * The shape every adapter's `serve()` shares, so the CLI and the tests drive Node, Bun and Deno
 * alike, and the defaults each settles the same way. The core itself still starts no server.
 *
 * @module
 */

import type { FileSystem } from "../fs/file-system.js";
import type { HandlerOptions } from "../handler/options.js";
import { ignoredByDefault } from "../live/feed.js";
import type { AccessLogEntry } from "./access-log.js";

/** Options of an adapter's `serve()`: the handler's options, with a directory in place of `fs`. */
export interface ServeOptions extends Omit<HandlerOptions, "fs" | "liveReload"> {
  /**
   * Live reload (docs/live-reload.md): watch `root`, reload the pages that show a file that
   * changed and swap a changed stylesheet in place. `node_modules/` and dot-names are not watched;
   * `ignore` replaces that rule (paths relative to the root, `/`-separated). A directory only.
   * @default false
   * @example true
   */
  liveReload?: boolean | { ignore: (path: string) => boolean };
  /**
   * Serve this `FileSystem` (a bucket: `s3FileSystem(…)`, `r2FileSystem(…)`) instead of the
   * directory `root`; `root` and `followSymlinks` are then not used.
   * @default undefined (the directory `root` on this runtime's file API)
   * @example s3FileSystem({ bucket: "site", region: "auto", endpoint, credentials })
   */
  fs?: FileSystem;
  /**
   * The directory to serve.
   * @default the current directory
   * @example "./public"
   */
  root?: string;
  /**
   * The TCP port; `0` lets the system pick a free one (read it back from the result).
   * @default 8000
   * @example 0
   */
  port?: number;
  /**
   * The address to bind. Unset, the server listens on every interface (`::`, which also takes
   * IPv4 where the system allows, else `0.0.0.0`), as `python -m http.server` does.
   * @default undefined (all interfaces)
   * @example "127.0.0.1"
   */
  hostname?: string;
  /**
   * Follow every symlink, wherever it points. Off, a symlink is followed only when its real
   * target is inside the root (checked on the file actually opened, so swapping a link between
   * the check and the open does not help); one that escapes answers 404 and is not listed.
   * @default false
   * @example true
   */
  followSymlinks?: boolean;
  /**
   * Serve HTTPS with this certificate chain and private key (PEM text). Node negotiates HTTP/2
   * with an HTTP/1.1 fallback by ALPN, Deno negotiates HTTP/2 itself, Bun serves HTTP/1.1 over TLS.
   * @default undefined (plain HTTP)
   * @example { cert: readFileSync("cert.pem", "utf8"), key: readFileSync("key.pem", "utf8") }
   */
  tls?: { cert: string; key: string };
  /**
   * Called once per answered request (`formatAccessLog` turns the entry into the seed's log line).
   * @default undefined (no log)
   * @example (entry) => console.error(formatAccessLog(entry))
   */
  onRequest?: (entry: AccessLogEntry) => void;
}

/** A running server, as every adapter's `serve()` resolves it. */
export interface RunningServer {
  /**
   * A URL a client on this machine can use: `http://127.0.0.1:8000/`, `http://localhost:8000/` when
   * bound to all interfaces.
   */
  url: string;
  /** The address actually bound, as the system reports it (`::`, `0.0.0.0`, `127.0.0.1`). */
  hostname: string;
  /** The port actually bound (useful with port 0). */
  port: number;
  /** Stops accepting connections, ends the open ones, and resolves once the server is closed. */
  close(): Promise<void>;
}

/** What every adapter's serve() starts from: its own options with their defaults settled. */
export interface ServeSettings {
  /** The directory to serve: `options.root`, or the current directory. */
  root: string;
  /** `options.port`, or 8000 (as `python -m http.server`). */
  port: number;
  hostname: string | undefined;
  /** `options.followSymlinks`, or false. */
  followSymlinks: boolean;
  /** Whether the directory's filesystem must take writes: the handler's `write` option is on. */
  writable: boolean;
  tls: ServeOptions["tls"];
  onRequest: ServeOptions["onRequest"];
  fs: FileSystem | undefined;
  /** What live reload leaves unwatched, or `null` when it is off. */
  liveReload: { ignore: (path: string) => boolean } | null;
  /** Every other option: the handler's, for `createHandler({ ...handler, fs })`. */
  handler: Omit<HandlerOptions, "fs">;
}

/**
 * Splits a serve()'s options into the server's, with their defaults, and the handler's.
 *
 * @param options what the caller gave serve()
 * @param cwd the runtime's current directory, asked only when `root` is not given (Deno asks
 *   for read permission to tell it)
 * @example
 * ```ts
 * const { root, port, hostname, followSymlinks, fs, handler } = serveSettings(options, () => process.cwd());
 * ```
 */
export function serveSettings(options: ServeOptions, cwd: () => string): ServeSettings {
  const { root, port = 8000, hostname, followSymlinks = false, onRequest, tls, fs, liveReload, ...handler } = options;
  const writable = Boolean(handler.write?.upload || handler.write?.delete);
  if (liveReload && fs !== undefined) throw new TypeError("liveReload watches a directory: it cannot watch fs");
  const live = !liveReload ? null : liveReload === true ? { ignore: ignoredByDefault } : liveReload;
  return {
    root: root ?? cwd(),
    port,
    hostname,
    followSymlinks,
    writable,
    onRequest,
    tls,
    fs,
    liveReload: live,
    handler,
  };
}

/** The `code` of the error an adapter's serve() rejects with when it cannot use `tls`. */
export const TLS_ERROR_CODE = "ERR_SIMPLEHTTP_TLS";

/**
 * The error for a certificate or key the runtime's TLS refused: its message on one line (the
 * command prints it as it is), and `code` {@link TLS_ERROR_CODE}. Each runtime words its refusal
 * its own way ("key values mismatch", "No certificates found", "BadEncoding"); the command checks
 * the files itself first, naming the one at fault.
 *
 * @example
 * ```ts
 * try { start(); } catch (error) { throw tlsRefused(error); }
 * ```
 */
export function tlsRefused(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`TLS certificate or key refused: ${message.replace(/\s*\n\s*/g, " ")}`), {
    code: TLS_ERROR_CODE,
  });
}

/** The URL a local client uses for a bound address: `localhost` for a wildcard bind, brackets for IPv6. */
export function localUrl(address: string, port: number, scheme: "http" | "https" = "http"): string {
  const unspecified = address === "::" || address === "0.0.0.0";
  const host = unspecified ? "localhost" : address.includes(":") ? `[${address}]` : address;
  return `${scheme}://${host}:${port}/`;
}
