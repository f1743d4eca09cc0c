/**
 * The values the command's flags take, each checked, with a one-line refusal in the flag's terms
 * (a `UsageError`, exit 2). args.ts reads the command line and calls these.
 *
 * @module
 */
import { contentTypeTable, type DotfilePolicy } from "@simplehttp/core";
import { quoted, UsageError } from "./errors.js";
import { LOG_FORMATS, type LogFormat } from "./log.js";

export function parseLogFormat(text: string): LogFormat {
  const format = LOG_FORMATS.find((name) => name === text);
  if (format === undefined)
    throw new UsageError(`invalid --log-format ${quoted(text)}: expected ${LOG_FORMATS.join(", ")}`);
  return format;
}

export function parseExtension(text: string): string {
  const bare = text.replace(/^\./, "");
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(bare))
    throw new UsageError(`invalid --ext ${quoted(text)}: expected an extension such as html`);
  return bare;
}

/**
 * `--mime .EXT=TYPE`, repeatable: the core's `contentTypes`. `=TYPE` is the type of the rest, the
 * dot may be left out as with `--ext`, and a later `--mime` for a suffix replaces an earlier one.
 */
export function parseMimes(texts: readonly string[]): Record<string, string> | undefined {
  if (texts.length === 0) return undefined;
  const table: Record<string, string> = {};
  for (const text of texts) {
    const equals = text.indexOf("=");
    const given = text.slice(0, Math.max(equals, 0)).toLowerCase();
    const entry = { [given === "" || given.startsWith(".") ? given : `.${given}`]: text.slice(equals + 1) };
    if (equals < 0 || !coreAccepts(entry))
      throw new UsageError(`invalid --mime ${quoted(text)}: expected .EXT=TYPE, such as .md=text/markdown`);
    Object.assign(table, entry);
  }
  return table;
}

/** Whether the core takes this `contentTypes` entry: its own check, so a mistake is refused here, in our words. */
function coreAccepts(entry: Record<string, string>): boolean {
  try {
    contentTypeTable(entry);
    return true;
  } catch {
    return false;
  }
}

export function parseDotfiles(text: string): DotfilePolicy {
  if (text === "ignore" || text === "deny" || text === "allow") return text;
  throw new UsageError(`invalid --dotfiles ${quoted(text)}: expected ignore, deny or allow`);
}

export function parseCache(text: string): string {
  // Directives are tokens, optionally `=value` (RFC 9111 §5.2); a bare number is a common slip.
  if (!/^\s*[a-z][\w-]*(=[\w-]+|="[^"]*")?(\s*,\s*[a-z][\w-]*(=[\w-]+|="[^"]*")?)*\s*$/i.test(text)) {
    throw new UsageError(`invalid --cache ${quoted(text)}: expected Cache-Control directives such as max-age=3600`);
  }
  return text.trim();
}

export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const name = colon < 0 ? "" : text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(text)) {
    throw new UsageError(`invalid --header ${quoted(text)}: expected 'Name: value'`);
  }
  return [name, text.slice(colon + 1).trim()];
}
