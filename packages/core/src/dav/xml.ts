/**
 * WebDAV's XML (RFC 4918 §14): reading a PROPFIND body, and writing text into a response.
 *
 * A body is read namespace-aware (xml-reader.ts): `<x:getetag xmlns:x="DAV:"/>` is DAV's getetag
 * whatever its prefix, and `<getetag xmlns="urn:other"/>` is not.
 *
 * @module
 */
import { readXml } from "./xml-reader.js";

/** DAV's namespace (RFC 4918 §21.1). */
export const DAV = "DAV:";

/** A property's name: its namespace and local name (RFC 4918 §4.3). */
export interface PropertyName {
  /** The namespace URI; `""` for a name in no namespace. */
  namespace: string;
  local: string;
}

/**
 * What a PROPFIND asks for (§9.1, §14.20): every property (`allprop`, also an empty body), with
 * the names of more (`include`); the names alone (`propname`); or the properties named (`prop`).
 */
export type PropfindBody =
  | { kind: "allprop"; include: PropertyName[] }
  | { kind: "propname" }
  | { kind: "prop"; names: PropertyName[] };

/**
 * Reads a PROPFIND body; `null` when it is not one (the request is then a 400, §9.1: XML that is
 * not well-formed, a root that is not DAV:propfind, not exactly one of allprop, propname and prop,
 * or a DTD). Elements a client adds beyond RFC 4918 are ignored, as §17 requires.
 *
 * @param text The body, decoded; empty or only white space means allprop (§9.1).
 * @returns What the body asks for, or `null`.
 * @example
 * ```ts
 * parsePropfind('<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>');
 * // { kind: "prop", names: [{ namespace: "DAV:", local: "getetag" }] }
 * parsePropfind(""); // { kind: "allprop", include: [] }
 * parsePropfind("<propfind"); // null
 * ```
 */
export function parsePropfind(text: string): PropfindBody | null {
  if (text.trim() === "") return { kind: "allprop", include: [] };
  const root = readXml(text);
  if (root?.namespace !== DAV || root.local !== "propfind") return null;
  // What each DAV child of the root names: prop's and include's children are property names.
  const asked = new Map<string, PropertyName[]>();
  for (const { namespace, local, children } of root.children) {
    if (namespace !== DAV) continue;
    const names = asked.get(local) ?? [];
    for (const name of children) names.push({ namespace: name.namespace, local: name.local });
    asked.set(local, names);
  }
  return bodyOf(asked);
}

/** The request the root's DAV children make, or `null` when they make none or several. */
function bodyOf(asked: ReadonlyMap<string, PropertyName[]>): PropfindBody | null {
  const kinds = ["allprop", "propname", "prop"].filter((kind) => asked.has(kind));
  if (kinds.length !== 1) return null;
  // §14.8: include goes with allprop only.
  if (asked.has("include") && kinds[0] !== "allprop") return null;
  if (kinds[0] === "allprop") return { kind: "allprop", include: asked.get("include") ?? [] };
  if (kinds[0] === "propname") return { kind: "propname" };
  return { kind: "prop", names: asked.get("prop") ?? [] };
}

// What XML 1.0 cannot carry (§2.2): C0 controls but tab, LF and CR, U+FFFE and U+FFFF, and a lone
// surrogate (a file name's byte that is not UTF-8, fs/names.ts).
const NOT_XML =
  /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * `text` as XML character data: `&`, `<` and `>` escaped (an attribute value needs `"` too), and
 * what XML cannot hold at all (a control character in a file name, a byte that is not UTF-8) as
 * U+FFFD, the way the listing page shows it. The exact name is still in the href, percent-encoded.
 *
 * @example
 * ```ts
 * xmlText("a & b\u0001.txt"); // "a &amp; b\uFFFD.txt"
 * ```
 */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(/[&<>]/g, (char) => SPECIAL[char] ?? char);
}
