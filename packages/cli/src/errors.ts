/**
 * The one kind of failure the command reports without a stack: a mistake the user can fix, and
 * how its line quotes what the user typed.
 *
 * @module
 */

/** A mistake on the command line or in a file it names: printed as one line, exit code 2. */
export class UsageError extends Error {}

// What would break the line or hide what was typed: C0 controls, DEL, C1 controls, the line and
// paragraph separators, and the bidirectional controls that reorder text on screen (CVE-2021-42574).
const UNPRINTABLE = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Readonly<Record<string, string>> = { "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r" };

/**
 * `text` in single quotes for an error line, escaped so that the line stays one line and shows
 * exactly what was typed: a backslash or a quote gets a backslash, and what cannot be printed is
 * written as JSON writes it (`\n`, `\t`, `\u001b`).
 *
 * @example
 * ```ts
 * quoted("X-A: 1\nX-B: 2"); // "'X-A: 1\\nX-B: 2'"
 * ```
 */
export function quoted(text: string): string {
  const escaped = text
    .replace(/[\\']/g, (char) => `\\${char}`)
    .replace(UNPRINTABLE, (char) => SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `'${escaped}'`;
}
