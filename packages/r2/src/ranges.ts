/**
 * The core's range hints as R2 ranges, and which bytes a body then holds.
 *
 * R2 refuses some ranges (checked in Miniflare 4.20260426): `get` throws (10039) for an offset at or
 * past the size and for any range of an empty object; a length past the end is clamped, and so is
 * a suffix longer than the object. `R2Object.range` is set even on a full read, so it never tells
 * whether a range was applied: the bytes held are worked out here from the hint and the size.
 *
 * @module
 */
import type { ByteRange, RangeHint } from "@simplehttp/core";
import type { R2RangeLike } from "./binding.js";

/**
 * The R2 range for a hint (`{ start, end }` is inclusive, R2's `length` a count).
 *
 * @example
 * ```ts
 * r2Range({ start: 100, end: 199 }); // { offset: 100, length: 100 }
 * r2Range({ start: 100 });           // { offset: 100 }
 * r2Range({ suffix: 500 });          // { suffix: 500 }
 * ```
 */
export function r2Range(hint: RangeHint): R2RangeLike {
  if ("suffix" in hint) return { suffix: hint.suffix };
  return hint.end === undefined ? { offset: hint.start } : { offset: hint.start, length: hint.end - hint.start + 1 };
}

/**
 * The bytes a hint names in an object of `size` bytes, clamped as R2 clamps them; `null` when none
 * (RFC 9110 §14.1.1: a first position at or past the end, or an empty object), which is exactly
 * when R2 refuses the range.
 *
 * @example
 * ```ts
 * rangeIn({ start: 900, end: 5000 }, 1000); // { start: 900, end: 999 }
 * rangeIn({ suffix: 5000 }, 1000);          // { start: 0, end: 999 }
 * rangeIn({ start: 1000 }, 1000);           // null
 * ```
 */
export function rangeIn(hint: RangeHint, size: number): ByteRange | null {
  if (size === 0) return null;
  if ("suffix" in hint) return { start: Math.max(0, size - hint.suffix), end: size - 1 };
  if (hint.start >= size) return null;
  return { start: hint.start, end: Math.min(hint.end ?? size - 1, size - 1) };
}
