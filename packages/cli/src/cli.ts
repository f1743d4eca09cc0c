/**
 * The `simplehttp` command: parse, check, serve, log, stop on a signal.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { networkInterfaces } from "node:os";
import { join, resolve } from "node:path";
import { type FileSystem, VERSION } from "@simplehttp/core";
import type { Interfaces } from "./addresses.js";
import { BUCKET_SCHEME, parseCommand, type ServeCommand, UsageError } from "./args.js";
import { type AuthUser, readAuthFile } from "./auth-args.js";
import { authWarning, bannerLine, type Listening, localUrl, networkUrls, noNetworkUrl, urlLines } from "./banner.js";
import { checkBindable, notThisMachine } from "./bind.js";
import { colourEnabled } from "./colour.js";
import { errorReporter } from "./error-log.js";
import { quoted } from "./errors.js";
import { accessLogFormatter } from "./log.js";
import { detectRuntime } from "./runtime.js";
import { startupWarnings, warningReporter } from "./site-rules.js";
import type { Tls } from "./tls.js";
import { writeWarning } from "./write-args.js";

/** Exit code for a mistake the user can fix (bad option, busy port, missing directory), as argparse uses. */
const USAGE_EXIT = 2;

/** Runs the command with `argv` (without `node` and the script); resolves to the exit code, or never while serving. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const command = parseCommand(argv, process.env);
    if (command.kind === "help") {
      process.stdout.write((await import("./usage.js")).USAGE);
      return 0;
    }
    if (command.kind === "version") {
      process.stdout.write(`simplehttp ${VERSION}\n`);
      return 0;
    }
    await serveCommand(command);
    return new Promise<number>(() => {});
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`simplehttp: error: ${error.message}\n`);
    return USAGE_EXIT;
  }
}

async function serveCommand(command: ServeCommand): Promise<void> {
  const bucket = command.directory.startsWith(BUCKET_SCHEME);
  if (bucket && command.followSymlinks)
    throw new UsageError("--follow-symlinks applies to a directory: a bucket has no symlinks");
  if (bucket && command.watch) throw new UsageError("--watch applies to a directory: a bucket is not watched");
  if (!bucket && command.storeTimeoutMs !== undefined)
    throw new UsageError("--store-timeout applies to a bucket (s3://BUCKET): a directory has no store to wait for");
  const root = resolve(bucket ? "." : command.directory);
  const writable = command.write !== undefined;
  // A flag's code loads only when the flag is given (docs/performance.md, "What start-up loads").
  const fs = bucket ? await openBucket(command, writable) : undefined;
  if (!bucket) await checkDirectory(root, command.directory);
  const users: AuthUser[] = [
    ...command.auth,
    ...(command.authFile === undefined ? [] : await readAuthFile(command.authFile)),
  ];
  const interfaces = networkInterfaces();
  if (command.bind !== undefined) await checkBindable(command.bind, interfaces);
  const tls = command.tls === undefined ? undefined : await loadTls(command.tls, interfaces);
  const stderrColour = colourEnabled(process.env, process.stderr.isTTY === true);
  const format = accessLogFormatter(command.logFormat, process.stderr.isTTY === true, stderrColour);
  const runtime = detectRuntime();
  const serve = await runtime.loadServe();
  // The rule files' warnings before the banner; the server reports a file again when it changes.
  const ruleLines = command.siteRules ? await startupWarnings(root, fs, command.followSymlinks) : [];
  for (const line of ruleLines) process.stderr.write(`${line}\n`);
  const server = await serve({
    root,
    fs,
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
    spa: command.spa,
    extensions: command.extensions,
    notFoundPage: command.notFoundPage ? undefined : false,
    siteRules: command.siteRules,
    onWarning: warningReporter(ruleLines, (line) => process.stderr.write(line)),
    contentTypes: command.contentTypes,
    auth: users.length === 0 ? undefined : { users, publicRead: command.publicRead },
    write: command.write,
    liveReload: command.watch,
    tls: tls === undefined ? undefined : { cert: tls.cert, key: tls.key },
    onRequest: command.quiet ? undefined : (entry) => process.stderr.write(`${format(entry)}\n`),
    // Even with --quiet: a failure is not a request's log line.
    onError: errorReporter((line) => process.stderr.write(line)),
  }).catch((error: unknown) => {
    throw new UsageError(serveError(error, command));
  });
  // Ready to stop before saying it is ready: whoever waits for the banner may signal at once.
  stopOnSignals(server);
  const spa = await spaWarning(command, root, fs);
  if (spa !== undefined) process.stderr.write(`${spa}\n`);

  await announce(
    command,
    { hostname: server.hostname, port: server.port },
    {
      runtime: runtime.label,
      tls,
      authenticated: users.length > 0,
      interfaces,
    },
  );
}

/** The banner with the warnings before it, then `--open`'s browser: the server is listening. */
async function announce(
  command: ServeCommand,
  server: { hostname: string; port: number },
  {
    runtime,
    tls,
    authenticated,
    interfaces,
  }: { runtime: string; tls?: { note?: string }; authenticated: boolean; interfaces: Interfaces },
): Promise<void> {
  const listening: Listening = { ...server, scheme: tls ? "https" : "http", runtime };
  const warnings = [
    authWarning(server.hostname, listening.scheme, authenticated),
    writeWarning(server.hostname, command.write !== undefined, authenticated),
  ];
  for (const warning of warnings) if (warning !== undefined) process.stderr.write(`${warning}\n`);
  const notes = [
    tls?.note,
    command.watch ? `Watching ${quoted(command.directory)}: pages reload as their files change` : undefined,
  ].filter((note) => note !== undefined);
  const lines = await bannerLines(listening, interfaces, notes, command.qr);
  // One write: whoever reads the banner gets the lines that belong to it at the same time.
  process.stdout.write(`${lines.join("\n")}\n`);
  if (command.open) {
    const { openBrowser } = await import("./open.js");
    openBrowser(localUrl(listening), (line) => process.stderr.write(`${line}\n`));
  }
}

/**
 * The banner: Python's line, then for a terminal the URLs to open, the notes (the certificate's,
 * `--watch`'s) and `--qr`'s code. That flag is explicit, so its code goes into a pipe too (a container's log, read
 * on a terminal later), after the one URL it holds, since a pipe gets no URL lines.
 */
async function bannerLines(
  listening: Listening,
  interfaces: Interfaces,
  notes: readonly string[],
  qr: boolean,
): Promise<string[]> {
  const terminal = process.stdout.isTTY === true;
  const colour = colourEnabled(process.env, terminal);
  const lines = [bannerLine(listening)];
  if (terminal) lines.push(...urlLines(listening, interfaces, colour));
  lines.push(...notes);
  if (!qr) return lines;
  const url = networkUrls(listening, interfaces)[0];
  if (url === undefined) {
    process.stderr.write(`${noNetworkUrl(listening.hostname)}\n`);
    return lines;
  }
  const { qrCode } = await import("./qr.js");
  const code = qrCode(url, colour);
  // A wrapped code is no code; some terminals unwrap it when widened, so it is printed all the same.
  const width = process.stdout.columns;
  if (terminal && width > 0 && width < code.columns)
    process.stderr.write(
      `simplehttp: warning: --qr: the code takes ${code.columns} columns, the terminal has ${width}\n`,
    );
  return [...lines, ...(terminal ? [] : [`  Network: ${url}`]), ...code.lines];
}

/** The bucket `s3://BUCKET/PREFIX` names, checked: the S3 client is loaded for a bucket only. */
async function openBucket(command: ServeCommand, writable: boolean): Promise<FileSystem> {
  const { bucketFileSystem } = await import("./bucket.js");
  return bucketFileSystem(command.directory, process.env, command.storeTimeoutMs, writable);
}

/** The certificate and key `--tls` makes or `--tls-cert`/`--tls-key` name, checked. */
async function loadTls(given: NonNullable<ServeCommand["tls"]>, interfaces: Interfaces): Promise<Tls> {
  const { makeSelfSigned, readTlsFiles } = await import("./tls.js");
  return given === "self-signed" ? makeSelfSigned(interfaces) : readTlsFiles(given.cert, given.key);
}

/**
 * Closes the server and exits 0 on SIGINT (saying so, as Python does) or SIGTERM. Listened to for
 * the whole run, not once: a terminal's Ctrl-C reaches every process of its foreground group, and
 * `bun x` relays it to its child as well, so the command sees it twice; without a listener, the
 * second would kill it (exit 130) while it closes (docs/runtimes.md).
 */
function stopOnSignals(server: { close(): Promise<void> }): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (signal === "SIGINT") process.stderr.write("\nKeyboard interrupt received, exiting.\n");
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/**
 * The warning when the `--spa` file is not there: every page that names nothing would answer
 * 404, silently. Only a warning, as the file is looked up on each request and may come later (a
 * build still running, an upload). A store that fails to answer says nothing about the file: its
 * errors show on the requests.
 */
async function spaWarning(
  command: ServeCommand,
  root: string,
  fs: FileSystem | undefined,
): Promise<string | undefined> {
  if (command.spa === false) return undefined;
  const file = command.spa === true ? "index.html" : command.spa.replace(/^\/+/, "");
  const found = fs
    ? await fs.stat(file).then(
        (stats) => stats?.kind === "file",
        () => true,
      )
    : await stat(join(root, file)).then(
        (stats) => stats.isFile(),
        () => false,
      );
  if (found) return undefined;
  const where = quoted(command.directory);
  return `simplehttp: warning: --spa file ${quoted(file)} is not in ${where}: unknown pages answer 404 until it is`;
}

async function checkDirectory(root: string, given: string): Promise<void> {
  const stats = await stat(root).catch(() => null);
  if (stats === null) throw new UsageError(`directory not found: ${quoted(given)}`);
  if (!stats.isDirectory()) throw new UsageError(`not a directory: ${quoted(given)}`);
}

function serveError(error: unknown, { bind, port, tls }: ServeCommand): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
  const where = bind === undefined ? `port ${port}` : `${bind} port ${port}`;
  switch (code) {
    case "EADDRINUSE":
      return `${where} is already in use (simplehttp 0 picks a free port)`;
    case "EACCES":
      return `permission denied to listen on ${where}`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return notThisMachine(bind ?? "");
  }
  // The core checks its options when the server is made (an --spa file outside the root, …).
  if (error instanceof TypeError && code === undefined) return message;
  if (tls !== undefined) return `cannot serve HTTPS on ${where}: ${message}`;
  return `cannot listen on ${where}: ${message}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simplehttp: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
