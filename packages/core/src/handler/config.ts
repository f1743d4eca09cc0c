/**
 * The handler's options settled into what each request needs, once, at construction: every
 * check that can fail fails here, so a bad option is an error at start-up, never a bad response.
 *
 * @module
 */
import { type ArchiveLimits, archiveLimits } from "../archive/archive.js";
import type { FileSystem } from "../fs/file-system.js";
import { type DotfilePolicy, resolvePath } from "../fs/resolve.js";
import { DEFAULT_COMPRESS_MIN_SIZE } from "../http/compress.js";
import { type ContentTypes, contentTypeTable } from "../http/content-type.js";
import { checkedHeader } from "../http/fields.js";
import { withoutRuleFiles } from "../rules/hidden.js";
import type { RuleWarning } from "../rules/lines.js";
import { VERSION } from "../version.js";
import { allowedMethods } from "../write/methods.js";
import { type WriteConfig, writeConfig } from "../write/options.js";
import { type Authenticator, createAuthenticator } from "./auth.js";
import { corsHeaders } from "./cors.js";
import type { HandlerOptions, PrecompressedEncoding } from "./options.js";

const ENCODINGS: readonly PrecompressedEncoding[] = ["br", "zstd", "gzip"];

/** The file-name suffix of each precompressed coding. */
export const ENCODING_SUFFIX: Readonly<Record<PrecompressedEncoding, string>> = {
  br: ".br",
  zstd: ".zst",
  gzip: ".gz",
};

/** The fallbacks, settled at construction. */
export interface Fallbacks {
  /** Tried in order for a path that names nothing: `["html"]` serves `about.html` for `/about`. */
  extensions: readonly string[];
  /** The single-page app's file (a path under the root), or `null`. */
  spa: string | null;
  /** The page answered with every 404 (a path under the root), or `null`. */
  notFoundPage: string | null;
}

/** The options, settled once into what each request needs. */
export interface Config {
  /** The served tree, without the rule files when the site's rules are followed. */
  fs: FileSystem;
  /** Where the site's rules are read from (the tree, rule files visible), or `null` when they are not followed. */
  rulesFs: FileSystem | null;
  onWarning: (warning: RuleWarning) => void;
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
  /** The types of files by name: the `contentTypes` option over the standard table. */
  contentTypes: ContentTypes;
  /** Headers on every response: Server, custom, CORS. */
  common: readonly (readonly [string, string])[];
  /** Headers of a CORS preflight answer, or `null` when CORS is off. */
  preflight: readonly (readonly [string, string])[] | null;
  onError: (error: unknown, request: Request) => void;
  /** What may be written, or `null` when nothing may. */
  write: WriteConfig | null;
  /** The methods this handler answers, for `Allow` (RFC 9110 §10.2.1). */
  allow: string;
  /** The one origin `cors` names (`null` for none or `*`): its pages may write. */
  corsOrigin: string | null;
}

/** Checks and settles the options; throws on an invalid header, content type or fallback file. */
export function resolveOptions(options: HandlerOptions): Config {
  const common: [string, string][] = [];
  const server = options.server === undefined ? `simplehttp/${VERSION}` : options.server;
  if (server !== false) common.push(["server", server]);
  const custom = Array.isArray(options.headers) ? options.headers : Object.entries(options.headers ?? {});
  for (const [name, value] of custom) common.push(checkedHeader(name, value));

  const write = writeConfig(options.write);
  if (write !== null && options.fs.writes === undefined) {
    throw new TypeError("write needs a filesystem that can write (for a disk: { writable: true })");
  }
  const allow = allowedMethods(write, options.fs.writes?.partial !== undefined);
  const cors = corsHeaders(options.cors, Boolean(options.auth), write === null ? undefined : allow);
  if (cors !== null) common.push(...cors.common);

  const compress = options.compress;
  const dotfiles = checkedDotfiles(options.dotfiles ?? "ignore");
  const spa = options.spa === true ? "index.html" : options.spa || null;
  const notFoundPage = options.notFoundPage === undefined ? "404.html" : options.notFoundPage || null;
  const rules = options.siteRules ?? true;
  return {
    fs: rules ? withoutRuleFiles(options.fs) : options.fs,
    rulesFs: rules ? options.fs : null,
    onWarning: options.onWarning ?? ((warning) => console.warn(`${warning.file}:${warning.line}: ${warning.message}`)),
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
    compressMinSize: !compress
      ? null
      : Math.max(1, compress === true ? DEFAULT_COMPRESS_MIN_SIZE : (compress.minSize ?? DEFAULT_COMPRESS_MIN_SIZE)),
    cacheControl: cacheControlValue(options.cacheControl),
    contentTypes: contentTypeTable(options.contentTypes),
    common,
    preflight: cors?.preflight ?? null,
    onError: options.onError ?? ((error: unknown) => console.error(error)),
    write,
    allow,
    corsOrigin:
      typeof options.cors === "object" && options.cors.origin !== undefined && options.cors.origin !== "*"
        ? options.cors.origin
        : null,
  };
}

function cacheControlValue(option: HandlerOptions["cacheControl"]): string | undefined {
  if (option === undefined || typeof option === "string")
    return option === undefined ? undefined : checkedHeader("cache-control", option)[1];
  const directives = ["public", `max-age=${Math.max(0, Math.floor(option.maxAge ?? 0))}`];
  if (option.immutable) directives.push("immutable");
  return directives.join(", ");
}

function checkedDotfiles(policy: string): DotfilePolicy {
  if (policy !== "ignore" && policy !== "deny" && policy !== "allow")
    throw new TypeError(`invalid dotfiles policy: ${JSON.stringify(policy)}`);
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

/**
 * Checks a fallback file option: a plain path under the root that the dotfile policy shows.
 * Throws a TypeError naming the option otherwise.
 */
function fallbackPath(option: string, what: string, dotfiles: DotfilePolicy): string {
  const resolved = resolvePath(`/${option.replace(/^\/+/, "")}`, dotfiles);
  if (typeof resolved === "number" || resolved.segments.length === 0 || resolved.trailingSlash) {
    throw new TypeError(
      `invalid ${what}: ${JSON.stringify(option)} (expected a visible file under the root, such as "index.html")`,
    );
  }
  return resolved.path;
}

/** Checks the `extensions` option: names without a dot or separator, written without the dot. */
function checkedExtensions(extensions: readonly string[]): string[] {
  return extensions.map((extension) => {
    const bare = extension.replace(/^\./, "");
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(bare))
      throw new TypeError(`invalid extension: ${JSON.stringify(extension)} (expected e.g. "html")`);
    return bare;
  });
}
