/**
 * Preconditions on a write (RFC 9110 §13.1, §13.2.2): unlike a read's, they depend on whether
 * anything is there at all. `If-Match: *` fails on nothing; `If-None-Match: *` fails on anything.
 *
 * @module
 */
import type { FileStat } from "../fs/stat.js";
import { parseHttpDate, toSeconds } from "../http/dates.js";
import { fileETag, parseETagList, strongMatch, weakMatch } from "../http/etag.js";

/** What the preconditions allow: go on (creating only, or replacing only `expected`), or 412. */
export type WriteCondition = { holds: false } | { holds: true; createOnly: boolean; expected?: FileStat };

/**
 * Evaluates `headers`' preconditions against `current`, what is at the path now (`null`: nothing).
 *
 * - `If-Match` (strong comparison; `*` means "anything is there"): false → 412. True, the write
 *   replaces exactly that version (`expected`), so a change in between is caught at the rename.
 * - else `If-Unmodified-Since`: changed after the date → 412.
 * - `If-None-Match: *`: anything there → 412; otherwise the write only creates. A list of tags: a
 *   weak match → 412.
 *
 * @example
 * ```ts
 * writeCondition(new Headers({ "if-none-match": "*" }), null); // { holds: true, createOnly: true }
 * writeCondition(new Headers({ "if-match": "*" }), null);      // { holds: false }
 * ```
 */
export function writeCondition(headers: Headers, current: FileStat | null): WriteCondition {
  const etag = current === null ? undefined : fileETag(current);
  const ifMatch = headers.get("if-match");
  let expected: FileStat | undefined;
  if (ifMatch !== null) {
    const tags = parseETagList(ifMatch);
    const matches = (tag: string) => tag === "*" || (etag !== undefined && strongMatch(tag, etag));
    if (current === null || !tags.some(matches)) return { holds: false };
    expected = current;
  } else {
    const since = parseHttpDate(headers.get("if-unmodified-since") ?? "");
    const modified = current?.mtimeMs;
    if (since !== undefined && modified !== undefined && toSeconds(modified) > toSeconds(since))
      return { holds: false };
  }
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch === null) return { holds: true, createOnly: false, expected };
  const tags = parseETagList(ifNoneMatch);
  if (tags.includes("*")) return current === null ? { holds: true, createOnly: true } : { holds: false };
  if (etag !== undefined && tags.some((tag) => weakMatch(tag, etag))) return { holds: false };
  return { holds: true, createOnly: false, expected };
}
