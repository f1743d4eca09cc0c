/**
 * Listings for scripts (JSON, one name per line) and the validator every listing format shares.
 *
 * @module
 */
import type { DirEntry } from "../fs/file-system.js";
import { encodeName } from "../fs/names.js";
import { VERSION } from "../version.js";
import type { ListingQuery } from "./query.js";

/** One entry of a {@link ListingJson}. */
export interface ListingEntryJson {
  /** The name as stored (a byte that is not UTF-8 shows as a lone surrogate, U+DC80–U+DCFF). */
  name: string;
  kind: "file" | "directory";
  /** Size in bytes; `null` for a directory, or when the entry could not be stat'ed. */
  size: number | null;
  /** Last modification, ISO 8601 in UTC (`2026-11-24T12:00:00.000Z`); `null` when unknown. */
  mtime: string | null;
  /** The entry's URL path, percent-encoded, with the mount prefix; a directory's ends with `/`. */
  url: string;
}

/**
 * A directory listing as JSON, answered for `Accept: application/json` or `?format=json`, in the
 * order and with the filter the query asks for (`sort`, `order`, `q`).
 *
 * @example
 * ```ts
 * const listing = (await (await fetch("http://localhost:8000/docs/?format=json")).json()) as ListingJson;
 * for (const entry of listing.entries) console.log(entry.kind, entry.url);
 * ```
 */
export interface ListingJson {
  /** The directory's URL path, decoded, with the mount prefix and a trailing `/`. */
  path: string;
  entries: ListingEntryJson[];
}

/** Entries per chunk of a streamed listing. */
const ENTRIES_PER_CHUNK = 256;

/**
 * The JSON body of a listing, in chunks as it is sent (a {@link ListingJson}); `base` is the
 * directory's percent-encoded URL path, ending in `/`.
 */
export function* listingJson(
  path: string,
  base: string,
  entries: readonly DirEntry[],
): Generator<string, void, undefined> {
  yield `{"path":${JSON.stringify(path)},"entries":[`;
  for (let from = 0; from < entries.length; from += ENTRIES_PER_CHUNK) {
    yield (from === 0 ? "" : ",") +
      entries
        .slice(from, from + ENTRIES_PER_CHUNK)
        .map((entry) => JSON.stringify(entryJson(entry, base)))
        .join(",");
  }
  yield "]}";
}

function entryJson({ name, stat }: DirEntry, base: string): ListingEntryJson {
  const directory = stat?.kind === "directory";
  return {
    name,
    kind: directory ? "directory" : "file",
    size: stat && !directory ? stat.size : null,
    mtime: stat?.mtimeMs === undefined ? null : new Date(stat.mtimeMs).toISOString(),
    url: `${base}${encodeName(name)}${directory ? "/" : ""}`,
  };
}

/**
 * The text body of a listing: one name per line, a directory's with a trailing `/`, so that
 * `curl -s URL?format=text | xargs …` works. A name may hold a line break (Linux allows any byte
 * but `/` and NUL): so `%` and every control character are written percent-encoded (`%25`,
 * `%0A`), which keeps each entry on one line and lets a reader decode it back exactly; every other
 * character, spaces and non-ASCII included, is written as it is, and so is every common name.
 *
 * @example
 * ```ts
 * [
 *   ...listingText([
 *     { name: "a b.txt", stat },
 *     { name: "line\nbreak", stat },
 *     { name: "sub", stat: dirStat },
 *   ]),
 * ].join("");
 * // "a b.txt\nline%0Abreak\nsub/\n"
 * ```
 */
export function* listingText(entries: readonly DirEntry[]): Generator<string, void, undefined> {
  for (let from = 0; from < entries.length; from += ENTRIES_PER_CHUNK) {
    let text = "";
    for (const { name, stat } of entries.slice(from, from + ENTRIES_PER_CHUNK))
      text += `${textName(name)}${stat?.kind === "directory" ? "/" : ""}\n`;
    yield text;
  }
}

// `%`, C0 controls, DEL, and the bytes that are not UTF-8 (core's names.ts), which have no text.
const UNWRITABLE = /[%\0-\x1f\x7f]|(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const UNWRITABLE_ALL = new RegExp(UNWRITABLE.source, "g");

function textName(name: string): string {
  return UNWRITABLE.test(name)
    ? name.replace(UNWRITABLE_ALL, (char) =>
        char.charCodeAt(0) >= 0xdc80
          ? encodeName(char)
          : `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
      )
    : name;
}

/**
 * The weak validator of a listing (RFC 9110 §8.8.3): a hash of what the answer is made of, the
 * visible entries (names, kinds, sizes, times) and how they are asked for (format, order, filter,
 * view), plus the version, whose page may differ. A client polling a folder pays one stat pass
 * and gets a 304 while nothing changed; any change to an entry changes the tag. Weak, because two
 * answers with one tag need only be equivalent (§8.8.1), and a 53-bit hash is not a content hash.
 *
 * @example
 * ```ts
 * listingETag(entries, query, "readme"); // 'W/"1kq0v3x9bz5-4"'
 * ```
 */
export function listingETag(entries: readonly DirEntry[], query: ListingQuery, extra: string): string {
  // cyrb53 (public domain): two 32-bit lanes mixed into 53 bits. One loop over plain locals: a
  // hash object with methods cost four times as much on a 1,000-entry folder.
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const asked = `${VERSION}\0${query.format}\0${query.sort}\0${query.order}\0${query.q}\0${query.view}\0${extra}`;
  for (let i = 0; i < asked.length; i++) {
    h1 = Math.imul(h1 ^ asked.charCodeAt(i), 2654435761);
    h2 = Math.imul(h2 ^ asked.charCodeAt(i), 1597334677);
  }
  for (const { name, stat } of entries) {
    for (let i = 0; i < name.length; i++) {
      const char = name.charCodeAt(i);
      h1 = Math.imul(h1 ^ char, 2654435761);
      h2 = Math.imul(h2 ^ char, 1597334677);
    }
    // The fields go in as numbers (formatting a time as text for every entry would cost more than
    // the rest), and end each name: the kind, the size, the time's integer part in 32-bit halves
    // and its fraction.
    const time = stat?.mtimeMs ?? -1;
    const whole = Math.floor(time);
    h1 = Math.imul(
      h1 ^ (stat === null ? 0xff : stat.kind === "file" ? 1 : stat.kind === "directory" ? 2 : 3),
      2654435761,
    );
    h2 = Math.imul(h2 ^ (stat?.size ?? -1), 1597334677);
    h1 = Math.imul(h1 ^ (whole | 0), 2654435761);
    h2 = Math.imul(h2 ^ ((whole / 4294967296) | 0), 1597334677);
    h1 = Math.imul(h1 ^ Math.round((time - whole) * 1e6), 2654435761);
  }
  const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `W/"${(4294967296 * (2097151 & b) + (a >>> 0)).toString(36)}-${entries.length.toString(36)}"`;
}
