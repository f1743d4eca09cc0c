/**
 * Byte ranges (RFC 9110 §14): parsing a `Range` header against a representation's size.
 *
 * @module
 */
import type { ByteRange, RangeHint } from "../fs/file-system.js";

/**
 * More ranges than this in one request is not a media player seeking but a way to make the server
 * do many small reads (or, overlapping, send a file many times): the request gets the whole file.
 */
export const MAX_RANGES = 16;

/** What to do with a Range header. */
export type RangeResult =
  /** Serve the whole representation with 200: no Range, an invalid one, or one we choose to ignore. */
  | { kind: "whole" }
  /** 416 with `Content-Range: bytes * /size`: valid, but no range overlaps the representation. */
  | { kind: "unsatisfiable" }
  /** 206 with these ranges: clamped to the size, overlapping and adjacent ones merged, in the order asked. */
  | { kind: "partial"; ranges: ByteRange[] };

// RFC 9110 §14.1.1: ranges-specifier = range-unit "=" range-set; a range-spec is "first-last",
// "first-" or "-suffix". Optional whitespace around the commas (§5.6.1).
const RANGE_SPEC = /^(?:(\d+)-(\d*)|-(\d+))$/;

/**
 * The range-specs of a `bytes` Range header, as written and before any size is known (a
 * {@link RangeHint} each), or `null` when the header is to be ignored (§14.2): another unit, a
 * syntax error anywhere, a last position before its first, no spec at all, or more than
 * {@linkcode MAX_RANGES}. The one reading of the header that parseRange() and rangeHint() share,
 * so a store is never asked for a range the core would not send, nor the other way round.
 */
function parseSpecs(header: string): RangeHint[] | null {
  const equals = header.indexOf("=");
  if (equals < 0 || header.slice(0, equals).trim().toLowerCase() !== "bytes") return null;
  // §5.6.1.2: empty list elements are ignored.
  const specs = header
    .slice(equals + 1)
    .split(",")
    .map((spec) => spec.trim())
    .filter((spec) => spec !== "");
  if (specs.length === 0 || specs.length > MAX_RANGES) return null;
  const parsed: RangeHint[] = [];
  for (const spec of specs) {
    const match = RANGE_SPEC.exec(spec);
    if (!match) return null;
    const [, first, last, suffix] = match;
    if (suffix !== undefined) parsed.push({ suffix: Number(suffix) });
    else if (last === "") parsed.push({ start: Number(first) });
    else if (Number(last) < Number(first)) return null;
    else parsed.push({ start: Number(first), end: Number(last) });
  }
  return parsed;
}

/**
 * Reads a `Range` header for a representation of `size` bytes.
 *
 * - A unit other than `bytes`, a syntax error anywhere, or a range whose last position is before
 *   its first makes the whole header invalid: it is ignored (§14.2), and the file is sent whole.
 * - A range starting at or after the end, and a zero-length suffix, are unsatisfiable and
 *   dropped; when none is left the answer is 416 (§14.1.1, §15.5.17).
 * - The last position is clamped to the size, and a suffix longer than the file means the file.
 * - An empty file ignores Range (nothing can be satisfied, and a 416 would only confuse a player).
 * - Overlapping and adjacent ranges are merged (§14.2 lets a server coalesce), and more
 *   than {@linkcode MAX_RANGES} specs get the whole file, so a response is never much larger
 *   than the file itself.
 *
 * @example
 * ```ts
 * parseRange("bytes=0-99", 1000);      // { kind: "partial", ranges: [{ start: 0, end: 99 }] }
 * parseRange("bytes=-100", 1000);      // { kind: "partial", ranges: [{ start: 900, end: 999 }] }
 * parseRange("bytes=900-5000", 1000);  // { kind: "partial", ranges: [{ start: 900, end: 999 }] }
 * parseRange("bytes=1000-", 1000);     // { kind: "unsatisfiable" }
 * parseRange("bytes=5-1", 1000);       // { kind: "whole" }
 * parseRange("bytes=0-1,1-2", 1000);   // { kind: "partial", ranges: [{ start: 0, end: 2 }] }
 * ```
 */
export function parseRange(header: string, size: number): RangeResult {
  const specs = parseSpecs(header);
  if (specs === null || size === 0) return { kind: "whole" };
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    if ("suffix" in spec) {
      if (spec.suffix > 0) ranges.push({ start: Math.max(0, size - spec.suffix), end: size - 1 });
    } else if (spec.start < size) {
      ranges.push({ start: spec.start, end: spec.end === undefined ? size - 1 : Math.min(spec.end, size - 1) });
    }
  }
  if (ranges.length === 0) return { kind: "unsatisfiable" };
  return { kind: "partial", ranges: coalesce(ranges) };
}

/**
 * The range to ask a store for in the call that finds the object, before its size is known: the
 * one range-spec of a Range header, as parseRange() reads it; `undefined` for anything else
 * (several ranges, an ignored header, an empty suffix that no store can read), which the store
 * then answers whole. The core checks what came back against what parseRange() decides once the
 * size is known, and reads again if they differ.
 *
 * @example
 * ```ts
 * rangeHint("bytes=100-199"); // { start: 100, end: 199 }
 * rangeHint("bytes=-500");    // { suffix: 500 }
 * rangeHint("bytes=0-9,20-29"); // undefined
 * ```
 */
export function rangeHint(header: string | null): RangeHint | undefined {
  const specs = header === null ? null : parseSpecs(header);
  const only = specs?.length === 1 ? specs[0] : undefined;
  return only !== undefined && "suffix" in only && only.suffix === 0 ? undefined : only;
}

/**
 * Merges overlapping and adjacent ranges. The merged ranges keep the order in which the client
 * asked for them (each group where its first range was), as §15.3.7.2 asks of a multipart body.
 */
function coalesce(ranges: ByteRange[]): ByteRange[] {
  const byStart = ranges.map((range, order) => ({ ...range, order })).sort((a, b) => a.start - b.start);
  const merged: (ByteRange & { order: number })[] = [];
  for (const range of byStart) {
    const last = merged.at(-1);
    if (last && range.start <= last.end + 1) {
      last.end = Math.max(last.end, range.end);
      last.order = Math.min(last.order, range.order);
    } else merged.push(range);
  }
  return merged.sort((a, b) => a.order - b.order).map(({ start, end }) => ({ start, end }));
}
