/**
 * The command line, as `python -m http.server` has it: `simplehttp [port] [-b ADDR] [-d DIR]`.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** What the command was asked to do. */
export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "serve"; port: number; bind: string | undefined; directory: string; quiet: boolean };

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
  -h, --help              show this help and exit
  -V, --version           print the version and exit

Examples:
  simplehttp                       serve . on port 8000
  simplehttp 8080 -b 127.0.0.1     serve . on 127.0.0.1:8080 only
  simplehttp 0 -d ./public         serve ./public on a free port
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
  };
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
