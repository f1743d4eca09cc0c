/**
 * File names that are bytes.
 *
 * On Linux a file name is any bytes but `/` and NUL, and not every name is UTF-8
 * (`inv\xffalid.txt`). The core's names are strings, so a byte that is not part of valid UTF-8
 * is carried as a lone surrogate, U+DC80 to U+DCFF for bytes 0x80 to 0xFF: Python's
 * "surrogateescape" (PEP 383), which is how Python 3's `http.server` lists and serves such files.
 * The mapping is one-to-one between byte strings and these strings, valid UTF-8 stays what it is,
 * and no escaped byte can ever read as `/`, `\`, `.` or NUL, so the path checks stay exact.
 *
 * A request's `%FF` decodes to U+DCFF; an adapter whose file API takes bytes (Node, with Buffer
 * paths) turns it back into the byte with {@link nameBytes}; a listing links it as `%FF` again
 * with {@link encodeName}, and shows it with U+FFFD (a lone surrogate has no UTF-8 of its own).
 *
 * @module
 */

import { concatBytes } from "./bytes.js";

/** Whether `name` carries raw bytes (escaped as U+DC80–U+DCFF). */
export function hasRawBytes(name: string): boolean {
  return ESCAPED.test(name);
}

// A lone low surrogate: U+DC80–U+DCFF not preceded by a high surrogate (U+10080 is the pair
// D800 DC80, a character, not an escaped byte).
const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const ESCAPED_ALL = new RegExp(ESCAPED.source, "g");
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes one percent-encoded URL path segment, or answers `null` for a malformed escape. Bytes
 * that are not valid UTF-8 become lone surrogates (see the module notes).
 *
 * @example
 * ```ts
 * decodeName("a%20b"); // "a b"
 * decodeName("inv%FFalid.txt"); // "inv\uDCFFalid.txt"
 * decodeName("%zz"); // null
 * ```
 */
export function decodeName(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Not UTF-8 (or a malformed escape, found below): decode the bytes one by one.
  }
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charCodeAt(i);
    if (char !== 0x25) {
      // A request target is ASCII once serialised; anything else goes in as its UTF-8.
      if (char < 0x80) bytes.push(char);
      else for (const byte of utf8.encode(segment[i] ?? "")) bytes.push(byte);
      continue;
    }
    const hex = segment.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return nameFromBytes(Uint8Array.from(bytes));
}

/**
 * A name's string from its bytes: valid UTF-8 as it reads, each other byte as a lone surrogate.
 *
 * @example
 * ```ts
 * nameFromBytes(new Uint8Array([0x61, 0xff])); // "a\uDCFF"
 * ```
 */
export function nameFromBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Some bytes are not UTF-8: decode the valid runs, escape the rest.
  }
  let name = "";
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      name += String.fromCharCode(0xdc00 + (bytes[i] ?? 0));
      i++;
    } else {
      name += strictUtf8.decode(bytes.subarray(i, i + length));
      i += length;
    }
  }
  return name;
}

/**
 * The length of the valid UTF-8 sequence at `bytes[i]`, or 0 when none starts there (RFC 3629
 * §4: no overlong forms, no surrogates, nothing above U+10FFFF).
 */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const first = bytes[i] ?? 0;
  const next = (k: number, min = 0x80, max = 0xbf): boolean => {
    const byte = bytes[i + k];
    return byte !== undefined && byte >= min && byte <= max;
  };
  if (first < 0x80) return 1;
  if (first >= 0xc2 && first <= 0xdf) return next(1) ? 2 : 0;
  if (first === 0xe0) return next(1, 0xa0) && next(2) ? 3 : 0;
  if (first === 0xed) return next(1, 0x80, 0x9f) && next(2) ? 3 : 0;
  if (first >= 0xe1 && first <= 0xef) return next(1) && next(2) ? 3 : 0;
  if (first === 0xf0) return next(1, 0x90) && next(2) && next(3) ? 4 : 0;
  if (first >= 0xf1 && first <= 0xf3) return next(1) && next(2) && next(3) ? 4 : 0;
  if (first === 0xf4) return next(1, 0x80, 0x8f) && next(2) && next(3) ? 4 : 0;
  return 0;
}

/**
 * A name's bytes: its UTF-8, with each escaped byte back as itself.
 *
 * @example
 * ```ts
 * nameBytes("a\uDCFF"); // Uint8Array [0x61, 0xff]
 * ```
 */
export function nameBytes(name: string): Uint8Array {
  if (!hasRawBytes(name)) return utf8.encode(name);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const match of name.matchAll(ESCAPED_ALL)) {
    parts.push(utf8.encode(name.slice(from, match.index)), Uint8Array.of(name.charCodeAt(match.index) - 0xdc00));
    from = match.index + 1;
  }
  parts.push(utf8.encode(name.slice(from)));
  return concatBytes(...parts);
}

/**
 * `encodeURIComponent` for names: an escaped byte is written as its own `%XX`, so the link leads
 * back to the same bytes (encodeURIComponent itself throws on a lone surrogate).
 *
 * @example
 * ```ts
 * encodeName("inv\uDCFFalid #1.txt"); // "inv%FFalid%20%231.txt"
 * ```
 */
export function encodeName(name: string): string {
  try {
    // The common name has no lone surrogate, and encodeURIComponent throws on one.
    return encodeURIComponent(name);
  } catch {
    // Escaped bytes, or another lone surrogate (never made from bytes here), below.
  }
  // Any other lone surrogate is written as U+FFFD.
  if (!hasRawBytes(name)) return encodeURIComponent(name.toWellFormed());
  let encoded = "";
  let from = 0;
  for (const match of name.matchAll(ESCAPED_ALL)) {
    const byte = name.charCodeAt(match.index) - 0xdc00;
    encoded += `${encodeURIComponent(name.slice(from, match.index).toWellFormed())}%${byte.toString(16).toUpperCase()}`;
    from = match.index + 1;
  }
  return encoded + encodeURIComponent(name.slice(from).toWellFormed());
}
