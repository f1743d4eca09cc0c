/**
 * The order and the filter of a listing's entries.
 *
 * @module
 */
import type { DirEntry } from "./fs.js";
import type { SortKey, SortOrder } from "./listing-query.js";

/**
 * A name's key for a natural, case-insensitive order: lower-cased, and each run of digits written
 * as its length (one character) then its digits without leading zeros, so `file2` sorts before
 * `file10` with a plain string comparison. Keys are made once per entry, not per comparison: a
 * collator's compare on every one of a large folder's ~n·log n comparisons costs more than the
 * listing's whole rendering.
 */
function naturalKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (digits) => {
    const significant = digits.replace(/^0+(?=\d)/, "");
    return String.fromCharCode(0x30 + Math.min(significant.length, 0xffff - 0x30)) + significant;
  });
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts entries in place: directories first, then by `sort` in `order`. Names compare naturally
 * and case-insensitively (`File2`, `file10`), then by code point, so the order is total and the
 * same on every machine; sizes and dates fall back to the name order on ties (and directories,
 * which have no size, sort by name under `size`).
 *
 * @example
 * ```ts
 * sortEntries(entries, "size", "desc");
 * ```
 */
export function sortEntries(entries: DirEntry[], sort: SortKey = "name", order: SortOrder = "asc"): DirEntry[] {
  const keyed = entries.map((entry) => ({ entry, key: naturalKey(entry.name), directory: entry.stat?.kind === "directory" }));
  const direction = order === "desc" ? -1 : 1;
  const value = (row: (typeof keyed)[number]): number =>
    sort === "size" ? (row.directory ? -1 : (row.entry.stat?.size ?? -1)) : sort === "mtime" ? (row.entry.stat?.mtimeMs ?? 0) : 0;
  keyed.sort((a, b) => {
    if (a.directory !== b.directory) return a.directory ? -1 : 1;
    const byValue = value(a) - value(b);
    return direction * (byValue !== 0 ? byValue : byCodePoint(a.key, b.key) || byCodePoint(a.entry.name, b.entry.name));
  });
  for (let i = 0; i < keyed.length; i++) entries[i] = (keyed[i] as (typeof keyed)[number]).entry;
  return entries;
}

/**
 * The entries whose name holds `q`, ignoring case; all of them for an empty `q`.
 *
 * @example
 * ```ts
 * filterEntries(entries, "report"); // Report-2026.pdf, old reports/
 * ```
 */
export function filterEntries(entries: DirEntry[], q: string): DirEntry[] {
  if (q === "") return entries;
  const needle = q.toLowerCase();
  return entries.filter((entry) => entry.name.toLowerCase().includes(needle));
}
