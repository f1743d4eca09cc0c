/**
 * What the command says of the site's `_redirects` and `_headers`: the lines it skips, read once
 * before the banner, and again when a changed file is read by the server.
 *
 * @module
 */
import { readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import {
  bodyInit,
  type FileSystem,
  HEADERS_FILE,
  REDIRECTS_FILE,
  type RuleWarning,
  ruleWarnings,
} from "@simplehttp/core";
import { escapeControls } from "./error-log.js";

/**
 * The line the command writes for `warning`: the file and line, why, and the line itself (its
 * control characters escaped, so no file can write to the terminal).
 *
 * @example
 * ```ts
 * warningLine({ file: "_redirects", line: 4, text: "/bad", message: "expected 'from to [status]', got 1 word" });
 * // "simplehttp: warning: _redirects:4: expected 'from to [status]', got 1 word: /bad"
 * ```
 */
export function warningLine(warning: RuleWarning): string {
  const text = warning.text === "" ? "" : `: ${escapeControls(warning.text)}`;
  return `simplehttp: warning: ${warning.file}:${warning.line}: ${escapeControls(warning.message)}${text}`;
}

/**
 * Reads the rule files of the served root (a directory `root`, or the bucket `fs`) and answers the
 * lines of their warnings. A file that cannot be read says nothing here: the server reports it
 * when a request needs it. On a disk, a rule file that is a link leading out of the root is read
 * only with `followSymlinks`, as the server would (else the server finds no rules there).
 */
export async function startupWarnings(
  root: string,
  fs: FileSystem | undefined,
  followSymlinks: boolean,
): Promise<string[]> {
  const lines: string[] = [];
  for (const file of [REDIRECTS_FILE, HEADERS_FILE]) {
    const read = fs === undefined ? diskText(root, file, followSymlinks) : bucketText(fs, file);
    const text = await read.catch(() => null);
    if (text !== null) for (const warning of ruleWarnings(file, text)) lines.push(warningLine(warning));
  }
  return lines;
}

/** A regular file's text: a FIFO of that name is never opened (the read would wait for a writer). */
async function diskText(root: string, file: string, followSymlinks: boolean): Promise<string | null> {
  const path = join(root, file);
  if (!followSymlinks && !(await realpath(path)).startsWith(`${await realpath(root)}${sep}`)) return null;
  return (await stat(path)).isFile() ? readFile(path, "utf8") : null;
}

async function bucketText(fs: FileSystem, file: string): Promise<string | null> {
  const stat = await fs.stat(file);
  if (stat?.kind !== "file") return null;
  if (stat.size === 0) return "";
  return new Response(bodyInit(await fs.read(file, { start: 0, end: stat.size - 1 }, stat))).text();
}

/**
 * The server's `onWarning`: writes each warning's line, but those printed at start-up, once each,
 * since the server reads the same files again at its first request. A file read again after a
 * change is reported whole.
 *
 * @param printed the lines written before the banner
 * @param write where lines go
 */
export function warningReporter(printed: readonly string[], write: (line: string) => void): (w: RuleWarning) => void {
  const pending = [...printed];
  return (warning) => {
    const line = warningLine(warning);
    const index = pending.indexOf(line);
    if (index >= 0) pending.splice(index, 1);
    else write(`${line}\n`);
  };
}
