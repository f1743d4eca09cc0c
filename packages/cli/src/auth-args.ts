/**
 * `--auth USER:PASS`, `--auth USER:sha256:HEX` and `--auth-file FILE`: the users of HTTP Basic
 * authentication. No message here ever repeats a password: errors name the user, the line number
 * or the flag, never the secret.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { quoted, UsageError } from "./errors.js";

/** One user, as the core's `auth.users` takes it: a password, or the SHA-256 of one (hex). */
export type AuthUser = { user: string; password: string } | { user: string; sha256: string };

const HASHED = /^sha256:([0-9a-fA-F]{64})$/;
// RFC 7617 §2: neither the user-id nor the password may contain control characters.
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Reads one `USER:PASS` or `USER:sha256:HEX` entry, split on the first colon so that a password may
 * hold colons. Returns the user, or why the entry is malformed (without its secret).
 *
 * @example
 * ```ts
 * parseAuthEntry("ana:pa:ss"); // { user: "ana", password: "pa:ss" }
 * ```
 */
export function parseAuthEntry(text: string): AuthUser | { problem: string } {
  const colon = text.indexOf(":");
  if (colon < 0) return { problem: "expected USER:PASSWORD or USER:sha256:HEX" };
  const user = text.slice(0, colon);
  const secret = text.slice(colon + 1);
  if (user === "") return { problem: "the user name is empty" };
  if (CONTROL.test(user)) return { problem: "the user name holds a control character" };
  const who = `user ${quoted(user)}`;
  if (secret === "") return { problem: `${who} has an empty password` };
  if (CONTROL.test(secret)) return { problem: `${who}: the password holds a control character` };
  const hashed = HASHED.exec(secret);
  if (hashed?.[1] !== undefined) return { user, sha256: hashed[1].toLowerCase() };
  // A password that starts like a hash but is not one is almost surely a mistyped hash.
  if (secret.startsWith("sha256:")) return { problem: `${who}: sha256: must be followed by 64 hex digits` };
  return { user, password: secret };
}

/** The users of every `--auth`, in order; throws a {@linkcode UsageError} on a malformed one. */
export function parseAuthFlags(values: readonly string[]): AuthUser[] {
  return values.map((text, i) => {
    const entry = parseAuthEntry(text);
    if ("problem" in entry)
      throw new UsageError(`invalid --auth${values.length > 1 ? ` #${i + 1}` : ""}: ${entry.problem}`);
    return entry;
  });
}

/**
 * The users of an `--auth-file`: UTF-8, one entry a line, blank lines and lines starting with `#`
 * ignored, CRLF line ends accepted. Everything else on a line is taken literally.
 */
export async function readAuthFile(path: string): Promise<AuthUser[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read --auth-file ${quoted(path)}: ${fileProblem(error)}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UsageError(`--auth-file ${quoted(path)} is not UTF-8 text`);
  }
  const users: AuthUser[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const entry = parseAuthEntry(line);
    if ("problem" in entry) throw new UsageError(`--auth-file ${quoted(path)} line ${i + 1}: ${entry.problem}`);
    users.push(entry);
  });
  if (users.length === 0) throw new UsageError(`--auth-file ${quoted(path)} names no user`);
  return users;
}

/** A file error in a few words: `no such file`, `permission denied`, … */
export function fileProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    default:
      return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
  }
}
