/**
 * The order and the filter of a listing's entries.
 *
 * @module
 */
import type { DirEntry } from "../fs/file-system.js";
import type { SortKey, SortOrder } from "./query.js";

/**
 * What a name is compared by, from the most significant to the least: its letters without case
 * or accents (`base`), then with their accents (`accents`), then with their case (`cased`), then
 * the name itself. Each is one flat string, made once per entry before sorting: a key made by
 * concatenation would be a rope that every comparison flattens again.
 */
interface NameKeys {
  base: string;
  accents: string;
  cased: string;
  name: string;
}

// Nonspacing marks: the accents NFD takes off their letters (é → e + U+0301), and the Japanese
// voicing marks (が → か + U+3099). Spacing marks are left: in Devanagari and its kin they are vowels.
const MARKS = /\p{Mn}/gu;
const ASCII = /^[\0-\x7f]*$/;

/**
 * The keys of `name`. Written out, not `Intl.Collator`: its order depends on the ICU data each
 * runtime was built with (Node, Bun, Deno and workerd ship different ones, some none), while
 * `normalize` and `toLowerCase` follow the Unicode tables alone. A lone surrogate (a byte of a name
 * that is not UTF-8, fs/names.ts) has no decomposition and no case: every runtime keeps it as it is.
 */
function nameKeys(name: string): NameKeys {
  // Most names are ASCII: nothing to decompose, no accent to take off.
  if (ASCII.test(name)) {
    const lower = name.toLowerCase();
    return { base: lower, accents: lower, cased: name, name };
  }
  const cased = name.normalize("NFD");
  const accents = cased.toLowerCase();
  return { base: accents.replace(MARKS, ""), accents, cased, name };
}

/**
 * Compares two keys naturally: a run of digits against a run of digits by its value (`2` before
 * `10`, leading zeros aside), anything else by UTF-16 code unit. A digit run against any other
 * character compares as its first digit does, so all numbers sit between `/` and `:`: the order is
 * lexicographic over runs, hence transitive. It walks the two strings rather than cutting them.
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

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareKeys(a: NameKeys, b: NameKeys): number {
  return (
    compareNatural(a.base, b.base) ||
    byCodeUnit(a.accents, b.accents) ||
    byCodeUnit(a.cased, b.cased) ||
    byCodeUnit(a.name, b.name)
  );
}

/**
 * Compares two names as a person reads them: letters before their case and accents (`apple`,
 * `Ärger`, `banana`), numbers by value (`file2` before `file10`). Ties are broken by the accents,
 * then the case, then the code units, so two names compare equal only when they are the same
 * string: a total order, the same on every runtime.
 *
 * @returns A negative number when `a` comes first, a positive one when `b` does, `0` when equal.
 * @example
 * ```ts
 * ["file10", "Ärger", "file2", "apple"].sort(compareNames); // ["apple", "Ärger", "file2", "file10"]
 * ```
 */
export function compareNames(a: string, b: string): number {
  return a === b ? 0 : compareKeys(nameKeys(a), nameKeys(b));
}

interface Row {
  entry: DirEntry;
  keys: NameKeys;
  directory: boolean;
}

/**
 * Sorts entries in place: directories first, then by `sort` in `order`. Names compare as
 * {@link compareNames} does; sizes and dates fall back to the name order on ties (and
 * directories, which have no size, sort by name under `size`). The page, the JSON and the text
 * forms all come from here, so they list in one order.
 *
 * @example
 * ```ts
 * sortEntries(entries, "size", "desc");
 * ```
 */
export function sortEntries(entries: DirEntry[], sort: SortKey = "name", order: SortOrder = "asc"): DirEntry[] {
  const rows: Row[] = entries.map((entry) => ({
    entry,
    keys: nameKeys(entry.name),
    directory: entry.stat?.kind === "directory",
  }));
  const direction = order === "desc" ? -1 : 1;
  const value = (row: Row): number =>
    sort === "size" ? (row.directory ? -1 : (row.entry.stat?.size ?? -1)) : (row.entry.stat?.mtimeMs ?? 0);
  rows.sort((a, b) => {
    if (a.directory !== b.directory) return a.directory ? -1 : 1;
    return (
      direction * (sort === "name" ? compareKeys(a.keys, b.keys) : value(a) - value(b) || compareKeys(a.keys, b.keys))
    );
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
