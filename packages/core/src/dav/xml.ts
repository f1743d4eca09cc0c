/**
 * WebDAV's XML (RFC 4918 §14): reading a PROPFIND body, and writing text into a response.
 *
 * A body is read with saxes, a strict, namespace-aware parser in plain JavaScript (it bundles for
 * workers, with nothing from a runtime). Namespaces matter here: `<x:getetag xmlns:x="DAV:"/>`
 * is DAV's getetag whatever its prefix, and `<getetag xmlns="urn:other"/>` is not. A parser that
 * only strips prefixes (fast-xml-parser, which the S3 package reads S3's fixed answers with) would
 * mistake one for the other.
 *
 * @module
 */
import { SaxesParser } from "saxes";

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
 * Reads a PROPFIND body; `null` when it is not one (the request is then a 400, §9.1: malformed
 * XML, a root that is not DAV:propfind, not exactly one of allprop, propname and prop, or a DTD).
 * Elements a client adds beyond RFC 4918 are ignored, as §17 requires.
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
  const parser = new SaxesParser({ xmlns: true });
  // The elements open, as names; and what each DAV child of the root asked for.
  const open: PropertyName[] = [];
  const asked = new Map<string, PropertyName[]>();
  let root: PropertyName | undefined;
  let doctype = false;
  // §20.5: a DTD could declare entities (one that expands a billion times, or a file's contents);
  // no client needs one in a PROPFIND, so none is read.
  parser.on("doctype", () => {
    doctype = true;
  });
  parser.on("opentag", (tag) => {
    const name = { namespace: tag.uri, local: tag.local };
    const parent = open.at(-1);
    if (open.length === 0) root = name;
    else if (open.length === 1 && name.namespace === DAV) asked.set(name.local, asked.get(name.local) ?? []);
    else if (open.length === 2 && parent?.namespace === DAV) asked.get(parent.local)?.push(name);
    open.push(name);
  });
  parser.on("closetag", () => {
    open.pop();
  });
  try {
    parser.write(text).close();
  } catch {
    return null;
  }
  if (doctype || root?.namespace !== DAV || root.local !== "propfind") return null;
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
 * `text` as XML character data: `&`, `<` and `>` escaped (an attribute value needs `"` too), and what XML
 * cannot hold at all (a control character in a file name, a byte that is not UTF-8) as U+FFFD, the
 * way the listing page shows it. The exact name is still in the href, percent-encoded.
 *
 * @example
 * ```ts
 * xmlText("a & b\u0001.txt"); // "a &amp; b\uFFFD.txt"
 * ```
 */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(/[&<>]/g, (char) => SPECIAL[char] ?? char);
}
