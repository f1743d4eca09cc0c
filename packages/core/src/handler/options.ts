/**
 * The handler's options, as a user writes them: each with its default and an example. config.ts
 * settles them once, at construction.
 *
 * @module
 */
import type { FileSystem } from "../fs/file-system.js";
import type { DotfilePolicy } from "../fs/resolve.js";
import type { LiveReloadOptions } from "../live/live.js";
import type { RuleWarning } from "../rules/lines.js";
import type { WriteOptions } from "../write/options.js";
import type { AuthOptions } from "./auth.js";
import type { CorsOptions } from "./cors.js";

/** A content coding simplehttp can serve from a precompressed sibling file. */
export type PrecompressedEncoding = "br" | "zstd" | "gzip";

/** `Cache-Control` for files, as its directives. */
export interface CacheControlOptions {
  /**
   * `max-age` in seconds.
   * @default 0
   * @example 31536000
   */
  maxAge?: number;
  /**
   * Adds `immutable` (RFC 8246): the browser does not revalidate while fresh, even on reload.
   * @default false
   * @example true
   */
  immutable?: boolean;
}

/** Options of `createHandler()`. */
export interface HandlerOptions {
  /** Where files come from: `nodeFileSystem(root)`, `memoryFileSystem({...})`, or any `FileSystem`. */
  fs: FileSystem;
  /**
   * The URL path the files are mounted at, for a handler that shares an origin (a Hono app's
   * `app.use("/static/*", …)`, a worker route). Requests outside it answer 404; redirects and
   * listings include it. Written as it appears in URLs (percent-encoded).
   * @default "" (the root of the origin)
   * @example "/static"
   */
  prefix?: string;
  /**
   * File names served for a directory, tried in order. `[]` turns index files off.
   * @default ["index.html", "index.htm"]
   * @example ["index.html"]
   */
  index?: readonly string[];
  /**
   * Answer a directory that has no index file with an HTML listing of its entries; when false,
   * such a directory is a 404.
   * @default true
   * @example false
   */
  listing?: boolean;
  /**
   * Show the folder's `README.md` (or `readme.md`) below its listing, rendered from Markdown with
   * raw HTML and script links left out.
   * @default true
   * @example false
   */
  readme?: boolean;
  /**
   * Let a listed folder be downloaded as one archive, streamed: `?download=zip` or
   * `?download=tar` on its URL gives every visible file below it, under the same dotfile and
   * symlink rules as the server, and the listing links both. A folder over the caps answers an
   * error page that says so. `true` means the default caps (10,000 entries, 4 GiB).
   * @default false
   * @example { maxEntries: 50_000, maxBytes: 20 * 1024 ** 3 }
   */
  archive?: boolean | { maxEntries?: number; maxBytes?: number };
  /**
   * Single-page apps: a GET or HEAD for a path that names nothing is answered with this file
   * (200), when the request accepts HTML and the path's last segment has no extension. Real
   * files and directories always win; a missing `/app.js` stays a 404; `/.well-known/` never
   * falls back. `true` means `"index.html"`.
   * @default false
   * @example true
   */
  spa?: boolean | string;
  /**
   * Extensions tried, in order, for a path that names nothing: `["html"]` serves `about.html`
   * for `/about`, without a redirect. A directory of that name still wins.
   * @default []
   * @example ["html", "htm"]
   */
  extensions?: readonly string[];
  /**
   * A page answered, with status 404, for every path that names nothing (as GitHub Pages does):
   * a file under the root, used when it exists. `false` keeps the plain 404 page. Never used for
   * other errors (400, 403, 405).
   * @default "404.html"
   * @example false
   */
  notFoundPage?: string | false;
  /**
   * Follow the site's `_redirects` and `_headers` at the root of the served tree, as Cloudflare
   * Pages and Workers do (docs/site-rules.md): redirects and rewrites before files, headers on
   * every reply. Checked on each request (a file is parsed again when it changed); the rule files
   * themselves answer 404 and are not listed. A line that cannot be followed goes to `onWarning`.
   * @default true
   * @example false
   */
  siteRules?: boolean;
  /**
   * Receive files (docs/writes.md): `upload` creates files and folders (`PUT`, a form `POST`,
   * `MKCOL`), `delete` also replaces, deletes, moves and copies. Off, every write answers 405.
   * The filesystem must be able to write (`nodeFileSystem(root, { writable: true })`, a bucket).
   * @default undefined (nothing is written)
   * @example { upload: true, maxUploadSize: 1024 ** 3 }
   */
  write?: WriteOptions;
  /**
   * HTTP Basic authentication (RFC 7617): every request without a valid user and password gets
   * 401 with a `WWW-Authenticate` challenge, except a CORS preflight when `cors` is on (browsers
   * send those without credentials, Fetch standard §4.8).
   * @default undefined (no authentication)
   * @example { users: [{ user: "ana", password: "s3cret" }], realm: "Team files" }
   */
  auth?: AuthOptions;
  /**
   * What to do with dotfiles and dot-directories (`.env`, `.git/`, `.htpasswd`): `"ignore"` answers
   * 404 as if they were absent, `"deny"` answers 403, `"allow"` serves them. Unless allowed they are
   * left out of listings. `/.well-known/` (RFC 8615) is always served.
   * @default "ignore"
   * @example "allow"
   */
  dotfiles?: DotfilePolicy;
  /**
   * Serve `file.br`, `file.zst` or `file.gz` in place of `file` when they exist and the client's
   * `Accept-Encoding` allows them (q-values respected; ties go to this order). `true` means
   * `["br", "zstd", "gzip"]`.
   * @default false
   * @example ["br", "gzip"]
   */
  precompressed?: boolean | readonly PrecompressedEncoding[];
  /**
   * Gzip compressible files (text, JavaScript, JSON, SVG, XML, wasm) of at least `minSize` bytes
   * on the fly when the client accepts gzip and asks for no range. `true` means `minSize` 1024.
   * @default false
   * @example { minSize: 4096 }
   */
  compress?: boolean | { minSize?: number };
  /**
   * `Cache-Control` for file responses (and their 304s): a header value, or directives.
   * Nothing by default, so a browser revalidates with the validators.
   * @default undefined
   * @example { maxAge: 31536000, immutable: true }
   */
  cacheControl?: string | CacheControlOptions;
  /**
   * Content types by file-name suffix, before the standard table (the seed's `extensions_map`,
   * which users extend): a key is a suffix with its dot, matched whatever its case, the longest
   * first, so `.tar.gz` may differ from `.gz`; the key `""` types every name that neither a
   * suffix nor the standard table types (`README`, `data.xyz`). A type without parameters gets
   * `; charset=utf-8` when it is text, JavaScript or JSON, as the standard table's do. A
   * `Content-Type` a store kept for an object still wins (but a generic `application/octet-stream`).
   * @default {} (the standard table, and `application/octet-stream` for the rest)
   * @example { ".md": "text/markdown", ".log": "text/plain", "": "text/plain" }
   */
  contentTypes?: Readonly<Record<string, string>>;
  /**
   * Extra headers on every response.
   * @default {}
   * @example { "x-frame-options": "DENY" }
   */
  headers?: Record<string, string> | readonly (readonly [string, string])[];
  /**
   * Allow cross-origin reads: `Access-Control-Allow-Origin` and the exposed headers
   * (`Content-Range`, `ETag`, …) on every response, and `OPTIONS` preflights answered.
   * @default false
   * @example { origin: "https://app.example" }
   */
  cors?: boolean | CorsOptions;
  /**
   * The `Server` header, or `false` to send none.
   * @default `simplehttp/${VERSION}`
   * @example false
   */
  server?: string | false;
  /**
   * Live reload (docs/live-reload.md): pages get a small script that reloads them when a file they
   * show changes, and swaps a changed stylesheet without a reload; `changes` says what changed (the
   * adapters' `serve({ liveReload: true })` watches their directory). The script talks to an event
   * stream at `/.simplehttp/live` under the prefix.
   * @default undefined (off)
   * @example { changes: changeFeed() }
   */
  liveReload?: LiveReloadOptions;
  /**
   * Told of every error the handler answers with a 5xx, no details to the client: a bug (500), a
   * store that cannot be reached or answers an error (502), one that did not answer in time (504),
   * descriptors run out (503). A 4xx (a missing file, a refused one) is not reported. An error
   * with a `code` that `statusForError` knows is a failure expected to happen (its message is one
   * line naming the store's call and its status or code); the rest are bugs, worth a stack.
   * @default logs the error with `console.error` (its stack, for every kind)
   * @example (error, request) =>
   *   statusForError(error) === undefined
   *     ? console.error(error) // a bug: the stack
   *     : console.error(`${new URL(request.url).pathname}: ${(error as Error).message}`) // one line
   */
  onError?: (error: unknown, request: Request) => void;
  /**
   * Told of each line of `_redirects` or `_headers` that is skipped (malformed, over a limit, a
   * loop), with its file and line number, each time the file is read: at the first request, and
   * after each change.
   * @default logs `file:line: message` with `console.warn`
   * @example (warning) => console.warn(`${warning.file}:${warning.line}: ${warning.message}`)
   */
  onWarning?: (warning: RuleWarning) => void;
}
