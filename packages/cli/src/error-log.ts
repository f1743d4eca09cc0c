/**
 * What the command writes for a request the server failed (a 5xx): one line for a failure it
 * expected, such as a store that is down, so the log stays one line per event; a stack for a bug.
 *
 * @module
 */
import { statusForError } from "@simplehttp/core";

/**
 * The line for `error`, or `undefined` when it is a bug (its code, if any, maps to no status).
 * The message is the adapter's, which names the call and the store's status or the failure's code
 * (`s3: GET site/a.txt answered 503 SlowDown: …`); it may hold a name from the request, so control
 * characters are escaped (`\x0a`) and no request can add a line.
 *
 * @example
 * ```ts
 * const refused = new Error("s3: GET a.txt: cannot reach http://s3 (ECONNREFUSED)");
 * errorLine(Object.assign(refused, { code: "ECONNREFUSED" })); // "simplehttp: s3: GET a.txt: cannot reach …"
 * ```
 */
export function errorLine(error: unknown): string | undefined {
  if (statusForError(error) === undefined) return undefined;
  return `simplehttp: ${escapeControls(error instanceof Error ? error.message : String(error))}`;
}

/**
 * The command's `onError`: {@link errorLine} when there is one, else the whole error with its
 * stack, as `console.error` shows it.
 */
export function errorReporter(write: (line: string) => void): (error: unknown) => void {
  return (error) => {
    const line = errorLine(error);
    if (line === undefined) console.error(error);
    else write(`${line}\n`);
  };
}

/** `\` and the C0 and C1 controls, DEL included, written `\\` and `\xhh`. */
export function escapeControls(text: string): string {
  return text.replace(/[\\\x00-\x1f\x7f-\x9f]/g, (char) =>
    char === "\\" ? "\\\\" : `\\x${(char.codePointAt(0) ?? 0).toString(16).padStart(2, "0")}`,
  );
}
