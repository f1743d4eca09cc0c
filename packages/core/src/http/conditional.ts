/**
 * Conditional requests (RFC 9110 §13): which preconditions hold, in the order of §13.2.2.
 *
 * @module
 */
import { parseHttpDate, toSeconds } from "./dates.js";
import { parseETagList, strongMatch, weakMatch } from "./etag.js";

/** The current representation's validators. */
export interface Validators {
  /** The current entity tag; undefined when there is none (then only `*` matches, §13.1.1). */
  etag?: string;
  /**
   * Last-Modified, in ms (already clamped to now); undefined when there is none (a listing), and
   * then date preconditions are ignored (§13.1.3, §13.1.4: they need a modification date).
   */
  lastModified?: number;
}

/**
 * The outcome of the preconditions: `200` to go on (the Range header may still apply), `304` Not
 * Modified, or `412` Precondition Failed.
 *
 * Evaluated as §13.2.2 orders them:
 * 1. `If-Match` (strong comparison, `*` matches any current representation) → 412 when false;
 * 2. otherwise `If-Unmodified-Since` → 412 when the resource changed after the date;
 * 3. `If-None-Match` (weak comparison; lists; `*`) → 304 for GET/HEAD, 412 for other methods;
 * 4. otherwise, for GET/HEAD, `If-Modified-Since` → 304 when not changed after the date.
 * Invalid dates are ignored (§13.1.3, §13.1.4). HEAD is answered exactly as GET.
 *
 * @example
 * ```ts
 * evaluatePreconditions(new Headers({ "if-none-match": 'W/"a", "b"' }), "GET", {
 *   etag: '"b"',
 *   lastModified: 0,
 * }); // 304
 * evaluatePreconditions(new Headers({ "if-match": '"x"' }), "GET", { etag: '"b"', lastModified: 0 }); // 412
 * ```
 */
export function evaluatePreconditions(headers: Headers, method: string, current: Validators): 200 | 304 | 412 {
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    const tags = parseETagList(ifMatch);
    if (!tags.some((tag) => tag === "*" || (current.etag !== undefined && strongMatch(tag, current.etag)))) return 412;
  } else {
    const since = dateHeader(headers, "if-unmodified-since");
    if (since !== undefined && current.lastModified !== undefined && toSeconds(current.lastModified) > toSeconds(since))
      return 412;
  }

  const safe = method === "GET" || method === "HEAD";
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    const tags = parseETagList(ifNoneMatch);
    if (tags.some((tag) => tag === "*" || (current.etag !== undefined && weakMatch(tag, current.etag))))
      return safe ? 304 : 412;
  } else if (safe) {
    const since = dateHeader(headers, "if-modified-since");
    if (
      since !== undefined &&
      current.lastModified !== undefined &&
      toSeconds(current.lastModified) <= toSeconds(since)
    )
      return 304;
  }
  return 200;
}

/**
 * `If-Range` (§13.1.5): true when the validator names the current representation, so the Range
 * applies. An entity tag must match by **strong** comparison (a weak tag never does); a date must
 * equal Last-Modified exactly.
 */
export function ifRangeHolds(value: string, current: Validators): boolean {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith("W/"))
    return current.etag !== undefined && strongMatch(trimmed, current.etag);
  const date = parseHttpDate(trimmed);
  return (
    date !== undefined && current.lastModified !== undefined && toSeconds(date) === toSeconds(current.lastModified)
  );
}

function dateHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  return value === null ? undefined : parseHttpDate(value.trim());
}
