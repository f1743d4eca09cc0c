/**
 * Object keys in URLs, and back from listings.
 *
 * @module
 */

/**
 * RFC 3986 §2.3 percent-encoding: everything but the unreserved characters. SigV4 signs the path
 * and query encoded exactly so ("Create a canonical request", AWS Signature Version 4), and
 * aws4fetch re-encodes what it signs the same way, so the URL sent and the URL signed agree. A
 * raw `+` would be read as a space by some stores, and `!'()*` left bare by encodeURIComponent
 * would be signed encoded.
 */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Whether `path` can be a key at all: keys are UTF-8, and a name that is not (the core gives its
 * bytes as lone surrogates, see core's names.ts) names nothing in a bucket.
 */
export function isKey(path: string): boolean {
  return path.isWellFormed();
}

/** A key as a URL path under the bucket: each segment encoded, the slashes kept. */
export function encodeKey(key: string): string {
  return key.split("/").map(encodeRfc3986).join("/");
}

/** A query string from its parameters, in the order given (`?a=1&b=2`). */
export function queryString(params: Record<string, string>): string {
  return `?${Object.entries(params)
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .join("&")}`;
}

/**
 * A key from a listing asked for with `encoding-type=url` (so a key may hold any character, even
 * ones XML 1.0 cannot carry). AWS encodes a space as `+` (and a `+` as `%2B`), as a form does;
 * others write `%20`: decoding `+` as a space reads both, as botocore does (`unquote_plus`).
 * `undefined` for a malformed escape.
 */
export function decodeListedKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}
