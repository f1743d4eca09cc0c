/**
 * The site's rules as they are now: `_redirects` and `_headers` read from the root of the served
 * tree through its FileSystem (a disk, a bucket, memory alike), never stale.
 *
 * Each request stats both files, and a file is read and parsed again only when its validators
 * (size, time, a store's ETag) changed; its warnings are reported then, once a version. On a disk
 * that has neither, one stat of the root stands for both: a name missing under the root again and
 * again is known missing from the record of absences (fs/absences.ts) while the root is unchanged.
 *
 * @module
 */
import { bodyInit, type FileStat, type FileSystem, releaseBody } from "../fs/file-system.js";
import { type HeaderRule, parseHeaders } from "./headers.js";
import { HEADERS_FILE, REDIRECTS_FILE, type RuleWarning } from "./lines.js";
import { parseRedirects, type Redirects } from "./redirects.js";

/** A rule file larger than this is read up to its last line within it, with a warning. */
export const MAX_RULE_FILE_BYTES = 4 * 1024 * 1024;

/** The rules in force for one request. */
export interface RuleSet {
  /** `null` when the site has no `_redirects`. */
  redirects: Redirects | null;
  /** `[]` when the site has no `_headers`. */
  headers: readonly HeaderRule[];
}

/** The site's rules, checked on each call; see {@link siteRules}. */
export interface SiteRules {
  /** The rules as the files are now: stats both, reads and parses a file that changed. */
  current(): Promise<RuleSet>;
  /**
   * The rules as the files are now when that can be told at once, else `null` (ask `current()`):
   * none, when the filesystem knows neither file is there (`FileSystem.knownAbsent`). For the
   * site without rule files, which is most, this spares each request two stats and a wait.
   */
  atOnce(): RuleSet | null;
}

interface Version<T> {
  key: string;
  parsed: Promise<T>;
}

/**
 * The rules of the tree `fs` serves.
 *
 * @param fs the filesystem, rule files visible
 * @param onWarning told of each line skipped, each time a file is read
 * @returns the rules' source
 * @example
 * ```ts
 * const rules = siteRules(fs, (w) => console.warn(`${w.file}:${w.line}: ${w.message}`));
 * const { redirects, headers } = rules.atOnce() ?? (await rules.current());
 * ```
 */
export function siteRules(fs: FileSystem, onWarning: (warning: RuleWarning) => void): SiteRules {
  const redirects = ruleFile(fs, REDIRECTS_FILE, parseRedirects, onWarning);
  const headers = ruleFile(fs, HEADERS_FILE, parseHeaders, onWarning);
  // Every request checks, once it has come: so it is answered with the files as they were after
  // it arrived. Sharing one check among the requests of a turn would have to wait for the turn's
  // end (a check made at the first of them precedes the arrival of the later ones), and Bun drops
  // pipelined requests while a handler waits past its turn (oven-sh/bun#38128): a disk's check is
  // a few stats, and the record of names missing under the root answers a missing rule file from
  // a stat of the root (docs/site-rules.md).
  return {
    atOnce: () => (fs.knownAbsent?.(RULE_FILES) ? NO_RULES : null),
    current: () =>
      // Both stats go out at once (a store answers both in one round trip's time).
      Promise.all([redirects(), headers()]).then(([r, h]) =>
        r === null && h === null ? NO_RULES : { redirects: r, headers: h ?? [] },
      ),
  };
}

const NO_RULES: RuleSet = { redirects: null, headers: [] };
const RULE_FILES = [REDIRECTS_FILE, HEADERS_FILE] as const;

function ruleFile<T>(
  fs: FileSystem,
  name: string,
  parse: (text: string) => { rules: T; warnings: RuleWarning[] },
  onWarning: (warning: RuleWarning) => void,
): () => Promise<T | null> {
  let version: Version<T> | null = null;
  const check = (stat: FileStat | null): T | null | Promise<T> => {
    if (stat === null || stat.kind !== "file") {
      version = null;
      return null;
    }
    const key = `${stat.size}:${stat.mtimeMs}:${stat.etag}`;
    if (version?.key !== key) {
      const parsed = readText(fs, name, stat).then(({ text, cut }) => {
        const { rules, warnings } = parse(text);
        if (cut) warnings.push({ file: name, line: 1, text: "", message: `only the first 4 MiB are read` });
        for (const warning of warnings) onWarning(warning);
        return rules;
      });
      // A read that failed is tried again by the next request, not remembered.
      parsed.catch(() => {
        if (version?.parsed === parsed) version = null;
      });
      version = { key, parsed };
    }
    return version.parsed;
  };
  return () => fileStat(fs, name).then(check);
}

/** The first byte of a file, asked of a store's `open()` for its metadata (a 1-byte ranged GET). */
const FIRST_BYTE = { start: 0, end: 0 };

/**
 * The stat of `name` if it is a file, else null. A store that opens in one call (R2's `open()`)
 * is asked for the file alone: its `stat()` of a missing key lists the key as a folder too, which
 * would be two calls more per check for the common site without rule files.
 */
async function fileStat(fs: FileSystem, name: string): Promise<FileStat | null> {
  if (fs.open === undefined) return fs.stat(name);
  const opened = await fs.open(name, FIRST_BYTE, true);
  if (opened === null) return null;
  if (opened.body !== null) releaseBody(opened.body);
  return opened.stat;
}

async function readText(fs: FileSystem, name: string, stat: FileStat): Promise<{ text: string; cut: boolean }> {
  const size = Math.min(stat.size, MAX_RULE_FILE_BYTES);
  if (size === 0) return { text: "", cut: false };
  const body = await fs.read(name, { start: 0, end: size - 1 }, stat);
  const text = new TextDecoder().decode(await new Response(bodyInit(body)).arrayBuffer());
  if (stat.size <= size) return { text, cut: false };
  return { text: text.slice(0, text.lastIndexOf("\n") + 1), cut: true };
}

/**
 * The warnings of a rule file's text, as the handler reports them when it reads the file: for a
 * caller that reads the file itself (the command, before its banner).
 *
 * @param file `_redirects` or `_headers`
 * @param text the file's text
 * @returns each line skipped, and why
 * @example
 * ```ts
 * for (const w of ruleWarnings("_redirects", await readFile("_redirects", "utf8"))) console.warn(w.message);
 * ```
 */
export function ruleWarnings(file: string, text: string): RuleWarning[] {
  if (file === REDIRECTS_FILE) return parseRedirects(text).warnings;
  if (file === HEADERS_FILE) return parseHeaders(text).warnings;
  throw new TypeError(`not a rule file: ${JSON.stringify(file)}`);
}
