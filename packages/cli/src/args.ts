/**
 * The command line, as `python -m http.server` has it: `simplehttp [port] [-b ADDR] [-d DIR]`,
 * plus the flags of the core's options.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { DotfilePolicy, WriteOptions } from "@simplehttp/core";
import { type AuthUser, parseAuthFlags } from "./auth-args.js";
import { parseBind } from "./bind.js";
import { quoted, UsageError } from "./errors.js";
import { parseCache, parseDotfiles, parseExtension, parseHeader, parseLogFormat, parseMimes } from "./flag-values.js";
import type { LogFormat } from "./log.js";
import { optionMistake, portMistake } from "./mistakes.js";
import { parseWriteFlags } from "./write-args.js";

export { UsageError } from "./errors.js";

/** How a bucket is named in place of a directory. */
export const BUCKET_SCHEME = "s3://";

/** What the command was asked to do. */
export type Command = { kind: "help" } | { kind: "version" } | ServeCommand;

/** Serve a directory: where, and with which HTTP options. */
export interface ServeCommand {
  kind: "serve";
  port: number;
  bind: string | undefined;
  directory: string;
  quiet: boolean;
  /** The log's format; `undefined` lets the terminal decide (coloured lines, else Python's). */
  logFormat: LogFormat | undefined;
  /** Open the served URL in the default browser once listening. */
  open: boolean;
  /** Print the first Network URL as a QR code under the banner. */
  qr: boolean;
  cors: boolean;
  /** A `Cache-Control` value for files. */
  cache: string | undefined;
  /** Extra response headers, in order. */
  headers: [string, string][];
  precompressed: boolean;
  gzip: boolean;
  dotfiles: DotfilePolicy;
  followSymlinks: boolean;
  /** Render a folder's README below its listing. */
  readme: boolean;
  /** Offer folders as zip and tar downloads. */
  archive: boolean;
  /** A single-page app's file: `true` for index.html, a path, or `false` for none. */
  spa: boolean | string;
  /** Extensions tried for a path that names nothing, without dots. */
  extensions: string[];
  /** Answer 404s with the site's 404.html. */
  notFoundPage: boolean;
  /** Follow the site's `_redirects` and `_headers`. */
  siteRules: boolean;
  /** `--mime`: content types by suffix (`""` for the rest), or `undefined` for the standard table. */
  contentTypes: Record<string, string> | undefined;
  /** Users from `--auth`, in order. */
  auth: AuthUser[];
  /** An `--auth-file` to read the users from (read when serving starts). */
  authFile: string | undefined;
  /** HTTPS: PEM files to read, a certificate to make, or nothing (plain HTTP). */
  tls: { cert: string; key: string } | "self-signed" | undefined;
  /** How long a call to a bucket's store may take (`--store-timeout`), in ms; unset, the S3 default. */
  storeTimeoutMs: number | undefined;
  /** What clients may write (`--upload`, `--delete`, …), or `undefined`. */
  write: WriteOptions | undefined;
  /** `--public-read`: anyone reads, only users with a password write. */
  publicRead: boolean;
  /** `--watch`: live reload, pages reloaded as files change. */
  watch: boolean;
}

const OPTIONS = {
  bind: { type: "string", short: "b" },
  directory: { type: "string", short: "d" },
  "store-timeout": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  "log-format": { type: "string" },
  open: { type: "boolean" },
  qr: { type: "boolean" },
  watch: { type: "boolean" },
  cors: { type: "boolean" },
  cache: { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  precompressed: { type: "boolean" },
  gzip: { type: "boolean" },
  dotfiles: { type: "string" },
  "follow-symlinks": { type: "boolean" },
  archive: { type: "boolean" },
  "no-readme": { type: "boolean" },
  ext: { type: "string", multiple: true },
  "no-404-page": { type: "boolean" },
  "no-site-rules": { type: "boolean" },
  mime: { type: "string", multiple: true },
  auth: { type: "string", multiple: true },
  "auth-file": { type: "string" },
  tls: { type: "boolean" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  upload: { type: "boolean" },
  delete: { type: "boolean" },
  "public-read": { type: "boolean" },
  "max-upload-size": { type: "string" },
  "trust-uploads": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/** The arguments as parseArgs reads them; a mistake is a {@linkcode UsageError} in our words. */
function parsedArgs(args: string[]) {
  const mistake = optionMistake(args, OPTIONS);
  if (mistake !== undefined) throw new UsageError(mistake);
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // Bun brings its own parseArgs: should it refuse what optionMistake() lets through, the
    // mistake is still one line.
    throw new UsageError(firstLine(error));
  }
}

/**
 * Reads the arguments (without `node` and the script); `env` gives `$PORT`. Throws a
 * {@linkcode UsageError} on a mistake.
 */
export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Command {
  const { args, spa } = takeSpa(argv);
  const { values, positionals } = parsedArgs(args);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  // A bucket may be named where Python names a port: `simplehttp s3://my-site 8080`.
  const buckets = positionals.filter((positional) => positional.startsWith(BUCKET_SCHEME));
  const ports = positionals.filter((positional) => !positional.startsWith(BUCKET_SCHEME));
  if (buckets.length + (values.directory === undefined ? 0 : 1) > 1)
    throw new UsageError("give one directory or bucket to serve");
  const port = ports[0] !== undefined ? parsePort(ports[0], "port") : env.PORT ? parsePort(env.PORT, "$PORT") : 8000;
  if (ports.length > 1) {
    const extra = quoted(ports[1] ?? "");
    throw new UsageError(`unexpected argument ${extra} after the port ${port} (a directory is given with -d DIR)`);
  }
  return {
    kind: "serve",
    port,
    bind: values.bind === undefined ? undefined : parseBind(values.bind),
    directory: buckets[0] ?? values.directory ?? ".",
    quiet: values.quiet ?? false,
    logFormat: values["log-format"] === undefined ? undefined : parseLogFormat(values["log-format"]),
    open: values.open ?? false,
    qr: values.qr ?? false,
    watch: values.watch ?? false,
    cors: values.cors ?? false,
    cache: values.cache === undefined ? undefined : parseCache(values.cache),
    headers: (values.header ?? []).map(parseHeader),
    precompressed: values.precompressed ?? false,
    gzip: values.gzip ?? false,
    dotfiles: parseDotfiles(values.dotfiles ?? "ignore"),
    followSymlinks: values["follow-symlinks"] ?? false,
    readme: !(values["no-readme"] ?? false),
    archive: values.archive ?? false,
    spa,
    extensions: (values.ext ?? []).map(parseExtension),
    notFoundPage: !(values["no-404-page"] ?? false),
    siteRules: !(values["no-site-rules"] ?? false),
    contentTypes: parseMimes(values.mime ?? []),
    auth: parseAuthFlags(values.auth ?? []),
    authFile: values["auth-file"],
    tls: parseTls(values.tls ?? false, values["tls-cert"], values["tls-key"]),
    storeTimeoutMs: values["store-timeout"] === undefined ? undefined : parseStoreTimeout(values["store-timeout"]),
    ...parseWriteFlags(values, (values.auth ?? []).length > 0 || values["auth-file"] !== undefined),
  };
}

/** Seconds, as `--store-timeout 2.5` gives them, in ms: above 0, and at most what a timer can wait. */
function parseStoreTimeout(text: string): number {
  const ms = /^\d+(\.\d+)?$/.test(text) ? Math.round(Number(text) * 1000) : 0;
  if (!(ms > 0 && ms <= 2 ** 31 - 1))
    throw new UsageError(`invalid --store-timeout ${quoted(text)}: expected seconds above 0, such as 10 or 2.5`);
  return ms;
}

/**
 * Takes `--spa` out of the arguments, since parseArgs has no optional values: `--spa=FILE` names
 * a file; a bare `--spa` takes the next argument as its file unless that is a number (the port)
 * or an option, and otherwise means index.html. A first, lenient pass finds the tokens, so that
 * a `--spa` given as another option's value (`-H --spa`) or after `--` is left alone.
 */
function takeSpa(argv: readonly string[]): { args: string[]; spa: boolean | string } {
  const lenient = { ...OPTIONS, spa: { type: "boolean" } } as const;
  const { tokens } = parseArgs({
    args: [...argv],
    options: lenient,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let spa: boolean | string = false;
  const taken = new Set<number>();
  tokens.forEach((token, i) => {
    if (token.kind !== "option" || token.name !== "spa") return;
    taken.add(token.index);
    if (token.inlineValue) {
      if (!token.value) throw new UsageError("--spa= needs a FILE (or write --spa alone for index.html)");
      spa = token.value;
      return;
    }
    const next = tokens[i + 1];
    if (next?.kind === "positional" && next.index === token.index + 1 && !/^\d+$/.test(next.value)) {
      spa = next.value;
      taken.add(next.index);
    } else {
      spa = true;
    }
  });
  return { args: argv.filter((_, i) => !taken.has(i)), spa };
}

function parseTls(selfSigned: boolean, cert: string | undefined, key: string | undefined): ServeCommand["tls"] {
  // One certificate: refused rather than one silently winning, since either choice surprises someone.
  if (selfSigned && (cert !== undefined || key !== undefined))
    throw new UsageError("--tls makes a certificate and --tls-cert gives one: use one or the other");
  if (cert !== undefined && key !== undefined) return { cert, key };
  if (cert !== undefined) throw new UsageError("--tls-cert needs --tls-key (the certificate's private key)");
  if (key !== undefined) throw new UsageError("--tls-key needs --tls-cert (the key's certificate)");
  return selfSigned ? "self-signed" : undefined;
}

function parsePort(text: string, what: "port" | "$PORT"): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(portMistake(text, what));
  return port;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
