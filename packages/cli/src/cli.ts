/**
 * The `simplehttp` command: parse, check, serve, log, stop on a signal.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { formatAccessLog, VERSION } from "@simplehttp/core";
import { parseCommand, USAGE, UsageError } from "./args.js";
import { detectRuntime } from "./runtime.js";

/** Exit code for a mistake the user can fix (bad option, busy port, missing directory), as argparse uses. */
const USAGE_EXIT = 2;

/** Runs the command with `argv` (without `node` and the script); resolves to the exit code, or never while serving. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.kind === "help") {
      process.stdout.write(USAGE);
      return 0;
    }
    if (command.kind === "version") {
      process.stdout.write(`simplehttp ${VERSION}\n`);
      return 0;
    }
    const root = resolve(command.directory);
    await checkDirectory(root, command.directory);
    const runtime = detectRuntime();
    const serve = await runtime.loadServe();
    const server = await serve({
      root,
      port: command.port,
      hostname: command.bind,
      cors: command.cors,
      cacheControl: command.cache,
      headers: command.headers,
      precompressed: command.precompressed,
      compress: command.gzip,
      dotfiles: command.dotfiles,
      followSymlinks: command.followSymlinks,
      readme: command.readme,
      archive: command.archive,
      onRequest: command.quiet ? undefined : (entry) => process.stderr.write(`${formatAccessLog(entry)}\n`),
    }).catch((error: unknown) => {
      throw new UsageError(listenError(error, command.bind, command.port));
    });
    // Ready to stop before saying it is ready: whoever waits for the banner may signal at once.
    const stop = (signal: NodeJS.Signals) => {
      if (signal === "SIGINT") process.stderr.write("\nKeyboard interrupt received, exiting.\n");
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname;
    process.stdout.write(`Serving HTTP on ${server.hostname} port ${server.port} (http://${host}:${server.port}/) on ${runtime.label} ...\n`);
    return new Promise<number>(() => {});
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`simplehttp: error: ${error.message}\n`);
    return USAGE_EXIT;
  }
}

async function checkDirectory(root: string, given: string): Promise<void> {
  const stats = await stat(root).catch(() => null);
  if (stats === null) throw new UsageError(`directory not found: ${given}`);
  if (!stats.isDirectory()) throw new UsageError(`not a directory: ${given}`);
}

function listenError(error: unknown, bind: string | undefined, port: number): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = bind === undefined ? `port ${port}` : `${bind} port ${port}`;
  switch (code) {
    case "EADDRINUSE":
      return `${where} is already in use`;
    case "EACCES":
      return `permission denied to listen on ${where}`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot bind to ${bind}: not an address of this machine`;
    default:
      return `cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simplehttp: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
