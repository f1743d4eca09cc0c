/**
 * The handler's options, and their resolution into constants once, at construction.
 *
 * @module
 */
import { archiveLimits, type ArchiveLimits } from "../archive/archive.js";
import { createAuthenticator, type AuthOptions, type Authenticator } from "./auth.js";
import { DEFAULT_COMPRESS_MIN_SIZE } from "../http/compress.js";
import { checkedExtensions, fallbackPath, type Fallbacks } from "./fallback.js";
import type { FileSystem } from "../fs/file-system.js";
import { VERSION } from "../version.js";

/** How dotfiles are answered: as absent (404), forbidden (403), or served. */
export type DotfilePolicy = "ignore" | "deny" | "allow";

/** A content coding simplehttp can serve from a precompressed sibling file. */
export type PrecompressedEncoding = "br" | "zstd" | "gzip";

/** Cross-origin resource sharing (Fetch standard, §3.2). */
export interface CorsOptions {
  /**
   * The `Access-Control-Allow-Origin` value: `*` or one origin.
   * @default "*"
   * @example "https://app.example"
   */
  origin?: string;
  /**
   * How long, in seconds, a browser may cache a preflight answer (`Access-Control-Max-Age`).
   * @default 86400
   * @example 600
   */
  maxAge?: number;
}

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
   * Told of every unexpected error (the request is then answered with a plain 500, no details).
   * @default logs the error with `console.error`
   * @example (error, request) => report(error, request.url)
   */
  onError?: (error: unknown, request: Request) => void;
}

const ENCODINGS: readonly PrecompressedEncoding[] = ["br", "zstd", "gzip"];

/** The file-name suffix of each precompressed coding. */
export const ENCODING_SUFFIX: Readonly<Record<PrecompressedEncoding, string>> = { br: ".br", zstd: ".zst", gzip: ".gz" };

// Request headers a cross-origin page may send for files; they make a preflight necessary.
const CORS_ALLOW_HEADERS = "Range, If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since, If-Range";
// Response headers a cross-origin script may read beyond the CORS-safelisted ones.
const CORS_EXPOSE_HEADERS = "Accept-Ranges, Content-Encoding, Content-Length, Content-Range, ETag, Last-Modified";

/** The options, settled once into what each request needs. */
export interface Config {
  fs: FileSystem;
  /** Without a trailing slash; `""` for none. */
  prefix: string;
  index: readonly string[];
  listing: boolean;
  readme: boolean;
  fallbacks: Fallbacks;
  /** Basic authentication, or `null` when off. */
  auth: Authenticator | null;
  /** The archive caps, or `null` when folder downloads are off. */
  archive: ArchiveLimits | null;
  dotfiles: DotfilePolicy;
  precompressed: readonly PrecompressedEncoding[];
  /** Smallest file compressed on the fly, or `null` when compression is off. */
  compressMinSize: number | null;
  cacheControl: string | undefined;
  /** Headers on every response: Server, custom, CORS. */
  common: readonly (readonly [string, string])[];
  /** Headers of a CORS preflight answer, or `null` when CORS is off. */
  preflight: readonly (readonly [string, string])[] | null;
  onError: (error: unknown, request: Request) => void;
}

/** Checks and settles the options; throws on an invalid header name or value. */
export function resolveOptions(options: HandlerOptions): Config {
  const common: [string, string][] = [];
  const server = options.server === undefined ? `simplehttp/${VERSION}` : options.server;
  if (server !== false) common.push(["server", server]);
  const custom = Array.isArray(options.headers) ? options.headers : Object.entries(options.headers ?? {});
  for (const [name, value] of custom) common.push(checkedHeader(name, value));

  let preflight: [string, string][] | null = null;
  if (options.cors) {
    const { origin = "*", maxAge = 86400 } = options.cors === true ? {} : options.cors;
    common.push(checkedHeader("access-control-allow-origin", origin), ["access-control-expose-headers", CORS_EXPOSE_HEADERS]);
    // With one named origin, a cache must not give this answer to another origin.
    if (origin !== "*") common.push(["vary", "Origin"]);
    preflight = [
      ["access-control-allow-methods", "GET, HEAD, OPTIONS"],
      ["access-control-allow-headers", CORS_ALLOW_HEADERS],
      ["access-control-max-age", String(maxAge)],
    ];
  }

  const compress = options.compress;
  const dotfiles = checkedDotfiles(options.dotfiles ?? "ignore");
  const spa = options.spa === true ? "index.html" : options.spa || null;
  const notFoundPage = options.notFoundPage === undefined ? "404.html" : options.notFoundPage || null;
  return {
    fs: options.fs,
    prefix: checkedPrefix(options.prefix ?? ""),
    index: [...(options.index ?? ["index.html", "index.htm"])],
    listing: options.listing ?? true,
    readme: options.readme ?? true,
    archive: archiveLimits(options.archive),
    dotfiles,
    fallbacks: {
      extensions: checkedExtensions(options.extensions ?? []),
      spa: spa === null ? null : fallbackPath(spa, "spa file", dotfiles),
      notFoundPage: notFoundPage === null ? null : fallbackPath(notFoundPage, "notFoundPage", dotfiles),
    },
    auth: options.auth ? createAuthenticator(options.auth) : null,
    precompressed: options.precompressed === true ? ENCODINGS : options.precompressed ? [...options.precompressed] : [],
    // At least 1: an empty file has nothing to compress (and is never read).
    compressMinSize: !compress ? null : Math.max(1, compress === true ? DEFAULT_COMPRESS_MIN_SIZE : (compress.minSize ?? DEFAULT_COMPRESS_MIN_SIZE)),
    cacheControl: cacheControlValue(options.cacheControl),
    common,
    preflight,
    onError: options.onError ?? ((error: unknown) => console.error(error)),
  };
}

function cacheControlValue(option: HandlerOptions["cacheControl"]): string | undefined {
  if (option === undefined || typeof option === "string") return option === undefined ? undefined : checkedHeader("cache-control", option)[1];
  const directives = ["public", `max-age=${Math.max(0, Math.floor(option.maxAge ?? 0))}`];
  if (option.immutable) directives.push("immutable");
  return directives.join(", ");
}

function checkedDotfiles(policy: string): DotfilePolicy {
  if (policy !== "ignore" && policy !== "deny" && policy !== "allow") throw new TypeError(`invalid dotfiles policy: ${JSON.stringify(policy)}`);
  return policy;
}

// A path of plain segments: no empty, dot or query/fragment parts, so that matching it against the
// raw request path is exact.
function checkedPrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, "");
  if (trimmed !== "" && !/^(\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)+$/.test(trimmed)) {
    throw new TypeError(`invalid prefix: ${JSON.stringify(prefix)} (expected a path such as "/static")`);
  }
  return trimmed;
}

// RFC 9110 §5.1 (token) and §5.5 (field values: no CR, LF or NUL).
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
function checkedHeader(name: string, value: string): [string, string] {
  if (!TOKEN.test(name)) throw new TypeError(`invalid header name: ${JSON.stringify(name)}`);
  if (/[\r\n\0]/.test(value)) throw new TypeError(`invalid value for header ${name}: ${JSON.stringify(value)}`);
  return [name.toLowerCase(), value.trim()];
}
