/**
 * The command line's mistakes in the command's own words. Node's `parseArgs` says "Unknown option
 * '-1'. To specify a positional argument starting with a '-', place it at the end…" (over lines,
 * with advice that rarely fits), and Bun's and Deno's say it slightly differently; so the
 * arguments are first read leniently, and every mistake the strict reading refuses is worded here,
 * the same on every runtime, naming each option as the user typed it.
 *
 * @module
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { quoted } from "./errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** One option as parseArgs read it, leniently. */
interface ReadOption {
  /** The long name, or what follows the dash of an unknown short option. */
  name: string;
  /** As typed: `-d` or `--directory`. */
  rawName: string;
  /** The argument it was read from. */
  index: number;
  value: string | undefined;
  /** Whether the value came with it (`--directory=x`, `-dx`), not as the next argument. */
  inlineValue: boolean | undefined;
}

// What each option's value is called in --help; an option missing here is said to take a VALUE.
const VALUE_NAMES: Readonly<Record<string, string>> = {
  bind: "ADDR",
  directory: "DIR",
  "log-format": "FMT",
  header: "'K: V'",
  dotfiles: "POLICY",
  ext: "EXT",
  mime: ".EXT=TYPE",
  auth: "USER:PASS",
  "auth-file": "FILE",
  "tls-cert": "FILE",
  "tls-key": "FILE",
  "store-timeout": "SECONDS",
  "max-upload-size": "SIZE",
};

/**
 * The line for a port that is not one: `$PORT`'s, or the argument's, which may be a directory
 * given where Python's command takes a port.
 *
 * @example
 * ```ts
 * portMistake("-1", "port"); // "invalid port '-1': expected a number from 0 to 65535"
 * ```
 */
export function portMistake(text: string, what: "port" | "$PORT"): string {
  const hint = what === "port" && !/^[-+]?\d/.test(text) ? " (a directory is given with -d DIR)" : "";
  return `invalid ${what} ${quoted(text)}: expected a number from 0 to 65535${hint}`;
}

/**
 * The first mistake in `args` that a strict `parseArgs` with `options` would refuse, worded for
 * the user, or `undefined` when there is none: an unknown option (a negative number is a port),
 * an option without its value, or a flag given a value.
 *
 * @example
 * ```ts
 * optionMistake(["--frobnicate"], OPTIONS); // "unknown option --frobnicate (see simplehttp --help)"
 * optionMistake(["-d"], OPTIONS);           // "-d needs a value (-d DIR)"
 * ```
 */
export function optionMistake(args: readonly string[], options: Options): string | undefined {
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const mistake = mistakeOf(token, args[token.index] ?? token.rawName, options);
    if (mistake !== undefined) return mistake;
  }
  return undefined;
}

function mistakeOf(option: ReadOption, typed: string, options: Options): string | undefined {
  const config = Object.hasOwn(options, option.name) ? options[option.name] : undefined;
  const name = shown(option.rawName);
  if (config === undefined) {
    // `simplehttp -1`: a negative number where the port goes, not an option.
    if (/^-\d/.test(typed)) return portMistake(typed, "port");
    return `unknown option ${name}${within(option, typed)} (${suggestion(option, options)}see simplehttp --help)`;
  }
  if (config.type === "boolean")
    return option.value === undefined ? undefined : `${name} takes no value (write ${name} alone, not ${shown(typed)})`;
  const usage = `${option.rawName} ${VALUE_NAMES[option.name] ?? "VALUE"}`;
  if (option.value === undefined) return `${name} needs a value (${usage})`;
  // parseArgs refuses a separate value that looks like an option (`-d --cors`): most often the
  // value was forgotten; a value that does start with a dash goes after an equals sign.
  if (option.inlineValue || option.value.length < 2 || !option.value.startsWith("-")) return undefined;
  const joined = shown(`--${option.name}=${option.value}`);
  return `${name} needs a value (${usage}); one that starts with - is written ${joined}`;
}

/** ` in -qx` when the option came in a group of short options. */
function within(option: ReadOption, typed: string): string {
  return typed === option.rawName || typed.startsWith(`${option.rawName}=`) ? "" : ` in ${shown(typed)}`;
}

/** `did you mean --directory? ` for `--dir`: the one long option it begins. */
function suggestion(option: ReadOption, options: Options): string {
  if (!option.rawName.startsWith("--") || option.name === "") return "";
  const names = Object.keys(options).filter((name) => name.startsWith(option.name));
  return names.length === 1 ? `did you mean --${names[0]}? ` : "";
}

/** An option as typed, bare when it is plain, else quoted and escaped. */
function shown(text: string): string {
  return /^[\w.,:=+@/-]+$/.test(text) ? text : quoted(text);
}
