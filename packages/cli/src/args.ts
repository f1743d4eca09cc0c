/**
 * The command line, as `python -m http.server` has it: `simplehttp [port] [-b ADDR] [-d DIR]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { DotfilePolicy } from "@simplehttp/core";

/** What the command was asked to do. */
export type Command = { kind: "help" } | { kind: "version" } | ServeCommand;

/** Serve a directory: where, and with which HTTP options. */
export interface ServeCommand {
  kind: "serve";
  port: number;
  bind: string | undefined;
  directory: string;
  quiet: boolean;
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
}

/** A mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: simplehttp [port] [options]

Serve the files of a directory over HTTP, like python -m http.server.

Arguments:
  port                    port to listen on (default: 8000; 0 picks a free port)

Options:
  -b, --bind ADDR         address to bind (default: all interfaces)
  -d, --directory DIR     directory to serve (default: the current directory)
  -q, --quiet             do not log requests
      --cors              allow cross-origin requests (Access-Control-Allow-Origin: *)
      --cache VALUE       Cache-Control for files, e.g. --cache max-age=3600
  -H, --header 'K: V'     add a response header (repeatable)
      --precompressed     serve file.br / file.zst / file.gz for file when the client accepts them
      --gzip              gzip text files on the fly when the client accepts it
      --dotfiles POLICY   ignore (404, the default), deny (403) or allow dotfiles
      --follow-symlinks   follow symlinks that lead outside the directory too
      --archive           let folders be downloaded as .zip or .tar (?download=zip)
      --no-readme         do not show a folder's README.md below its listing
  -h, --help              show this help and exit
  -V, --version           print the version and exit

Examples:
  simplehttp                       serve . on port 8000
  simplehttp 8080 -b 127.0.0.1     serve . on 127.0.0.1:8080 only
  simplehttp 0 -d ./public         serve ./public on a free port
  simplehttp --cors --cache max-age=60 -H 'X-Frame-Options: DENY'
  simplehttp --archive --no-readme  folders as zip downloads, READMEs not shown
`;

/** Reads the arguments (without `node` and the script). Throws a {@linkcode UsageError} on a mistake. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        bind: { type: "string", short: "b" },
        directory: { type: "string", short: "d" },
        quiet: { type: "boolean", short: "q" },
        cors: { type: "boolean" },
        cache: { type: "string" },
        header: { type: "string", short: "H", multiple: true },
        precompressed: { type: "boolean" },
        gzip: { type: "boolean" },
        dotfiles: { type: "string" },
        "follow-symlinks": { type: "boolean" },
        archive: { type: "boolean" },
        "no-readme": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (error) {
    // parseArgs' messages are already one clear sentence ("Unknown option '--x'").
    throw new UsageError(firstLine(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  return {
    kind: "serve",
    port: positionals[0] === undefined ? 8000 : parsePort(positionals[0]),
    bind: values.bind === undefined ? undefined : parseBind(values.bind),
    directory: values.directory ?? ".",
    quiet: values.quiet ?? false,
    cors: values.cors ?? false,
    cache: values.cache === undefined ? undefined : parseCache(values.cache),
    headers: (values.header ?? []).map(parseHeader),
    precompressed: values.precompressed ?? false,
    gzip: values.gzip ?? false,
    dotfiles: parseDotfiles(values.dotfiles ?? "ignore"),
    followSymlinks: values["follow-symlinks"] ?? false,
    readme: !(values["no-readme"] ?? false),
    archive: values.archive ?? false,
  };
}

function parseDotfiles(text: string): DotfilePolicy {
  if (text === "ignore" || text === "deny" || text === "allow") return text;
  throw new UsageError(`invalid --dotfiles '${text}': expected ignore, deny or allow`);
}

function parseCache(text: string): string {
  // Directives are tokens, optionally `=value` (RFC 9111 §5.2); a bare number is a common slip.
  if (!/^\s*[a-z][\w-]*(=[\w-]+|="[^"]*")?(\s*,\s*[a-z][\w-]*(=[\w-]+|="[^"]*")?)*\s*$/i.test(text)) {
    throw new UsageError(`invalid --cache '${text}': expected Cache-Control directives such as max-age=3600`);
  }
  return text.trim();
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon < 0 ? "" : text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(text)) {
    throw new UsageError(`invalid --header '${text}': expected 'Name: value'`);
  }
  return [name, text.slice(colon + 1).trim()];
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`invalid port '${text}': expected a number from 0 to 65535`);
  return port;
}

function parseBind(text: string): string {
  if (text === "") throw new UsageError("invalid bind address ''");
  // `[::1]` as a URL would write it; the socket wants the bare address.
  return text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
