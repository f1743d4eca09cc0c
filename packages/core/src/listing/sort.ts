/**
 * The order and the filter of a listing's entries.
 *
 * @module
 */
import type { DirEntry } from "../fs/file-system.js";
import type { SortKey, SortOrder } from "./query.js";

/**
 * Compares two lower-cased names naturally: a run of digits against a run of digits by its value
 * (`2` before `10`, leading zeros aside), anything else by code point. It walks the two strings
 * rather than building sort keys: a key made by concatenation is a rope that every comparison would
 * flatten, and on a 1,000-entry folder that cost three times this.
 */
function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      let startA = i;
      while (a.charCodeAt(startA) === 0x30) startA++;
      let startB = j;
      while (b.charCodeAt(startB) === 0x30) startB++;
      let endA = startA;
      while (isDigit(a.charCodeAt(endA))) endA++;
      let endB = startB;
      while (isDigit(b.charCodeAt(endB))) endB++;
      // More significant digits is the larger number; as many, the first that differs decides.
      if (endA - startA !== endB - startB) return endA - startA - (endB - startB);
      for (let k = 0; k < endA - startA; k++) {
        const difference = a.charCodeAt(startA + k) - b.charCodeAt(startB + k);
        if (difference !== 0) return difference;
      }
      i = endA;
      j = endB;
      continue;
    }
    if (x !== y) return x - y;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

function isDigit(char: number): boolean {
  return char >= 0x30 && char <= 0x39;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Row {
  entry: DirEntry;
  lower: string;
  directory: boolean;
}

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
  const rows: Row[] = entries.map((entry) => ({
    entry,
    lower: entry.name.toLowerCase(),
    directory: entry.stat?.kind === "directory",
  }));
  const direction = order === "desc" ? -1 : 1;
  const byName = (a: Row, b: Row): number =>
    compareNatural(a.lower, b.lower) || byCodePoint(a.entry.name, b.entry.name);
  const value = (row: Row): number =>
    sort === "size" ? (row.directory ? -1 : (row.entry.stat?.size ?? -1)) : (row.entry.stat?.mtimeMs ?? 0);
  rows.sort((a, b) => {
    if (a.directory !== b.directory) return a.directory ? -1 : 1;
    return direction * (sort === "name" ? byName(a, b) : value(a) - value(b) || byName(a, b));
  });
  for (let i = 0; i < rows.length; i++) entries[i] = (rows[i] as Row).entry;
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
