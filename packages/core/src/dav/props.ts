/**
 * The properties a PROPFIND answers (RFC 4918 §15), each the same as what a GET of the resource
 * says, and the 207 Multi-Status body that carries them (§13, §14.16).
 *
 * @module
 */
import type { FileStat } from "../fs/stat.js";
import { formatHttpDate } from "../http/dates.js";
import { fileETag } from "../http/etag.js";
import { DAV, type PropfindBody, xmlText } from "./xml.js";

/** A file or folder a PROPFIND answers for. */
export interface Resource {
  /** Its URL path, percent-encoded, with the mount prefix; a folder's ends with `/`. */
  href: string;
  /** Its name; `""` for the root, which has none. */
  name: string;
  stat: FileStat;
}

/** The `Content-Type` a GET of the file `name` sends. */
export type TypeOf = (name: string, stat: FileStat) => string;

/** A property's value for `resource` (XML, escaped), or `undefined` when it has none. */
type Property = (resource: Resource, typeOf: TypeOf) => string | undefined;

const isFile = (resource: Resource): boolean => resource.stat.kind === "file";
const optional = (text: string | undefined): string | undefined => (text === undefined ? undefined : xmlText(text));

// The live properties this server keeps (§15), in the order allprop lists them. creationdate
// (§15.1) is left out: no filesystem here tells when a file was made. Nor are the lock properties
// (§15.7, §15.8): this is a class 1 server, without LOCK.
const PROPERTIES: ReadonlyMap<string, Property> = new Map<string, Property>([
  ["displayname", ({ name }) => (name === "" ? undefined : xmlText(name))],
  ["getcontentlength", (resource) => (isFile(resource) ? String(resource.stat.size) : undefined)],
  // What GET's Last-Modified says: RFC 9110 §8.8.2.1 keeps it from lying in the future.
  [
    "getlastmodified",
    ({ stat }) => (stat.mtimeMs === undefined ? undefined : formatHttpDate(Math.min(stat.mtimeMs, Date.now()))),
  ],
  // GET's ETag and Content-Type for a file; a folder's listing has its own, per format and query.
  ["getetag", ({ stat }) => (stat.kind === "file" ? optional(fileETag(stat)) : undefined)],
  ["getcontenttype", ({ name, stat }, typeOf) => (stat.kind === "file" ? xmlText(typeOf(name, stat)) : undefined)],
  ["resourcetype", (resource) => (isFile(resource) ? "" : "<D:collection/>")],
]);

const OK = "HTTP/1.1 200 OK";
const NOT_FOUND = "HTTP/1.1 404 Not Found";

/**
 * The `<D:response>` for one resource (§14.24): its href, then one propstat with the properties
 * it has and, for properties asked for by name that it has not, one with 404 (§9.1). The found
 * ones come first: a client reading one status per response (rclone) reads theirs.
 */
export function responseXml(resource: Resource, asked: PropfindBody, typeOf: TypeOf): string {
  const value = (local: string) => PROPERTIES.get(local)?.(resource, typeOf);
  const found: string[] = [];
  const missing: string[] = [];
  if (asked.kind !== "prop") {
    // allprop and propname: every property the resource has, with its value or named only.
    for (const local of PROPERTIES.keys()) {
      const text = value(local);
      if (text !== undefined) found.push(element(DAV, local, asked.kind === "propname" ? "" : text));
    }
  }
  // The names asked for: prop's, and include's beyond what allprop already answered.
  for (const name of asked.kind === "prop" ? asked.names : asked.kind === "allprop" ? asked.include : []) {
    const text = name.namespace === DAV ? value(name.local) : undefined;
    if (text === undefined) missing.push(element(name.namespace, name.local, ""));
    else if (asked.kind === "prop") found.push(element(DAV, name.local, text));
  }
  let xml = `<D:response><D:href>${xmlText(resource.href)}</D:href>`;
  if (found.length > 0) xml += propstat(found, OK);
  if (missing.length > 0) xml += propstat(missing, NOT_FOUND);
  // §14.24: a response holds a propstat, even when nothing was asked for (`<D:prop/>`).
  if (found.length === 0 && missing.length === 0) xml += propstat([], OK);
  return `${xml}</D:response>\n`;
}

/**
 * The whole 207 body (§14.16) for `responses`, each made by {@link responseXml}.
 *
 * @example
 * ```ts
 * multistatusXml([responseXml(resource, { kind: "allprop", include: [] }, () => "text/plain")]);
 * ```
 */
export function multistatusXml(responses: readonly string[]): string {
  const head = `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="${DAV}">\n`;
  return `${head}${responses.join("")}</D:multistatus>\n`;
}

function propstat(properties: readonly string[], status: string): string {
  return `<D:propstat><D:prop>${properties.join("")}</D:prop><D:status>${status}</D:status></D:propstat>`;
}

/**
 * An element named `namespace` `local` holding `content`: DAV's with the document's `D:` prefix,
 * any other with its own declaration (the local name is an NCName: the reader checked it). Only
 * DAV's properties have values here; another's is only ever named, in a 404 propstat.
 */
function element(namespace: string, local: string, content: string): string {
  if (namespace === DAV) return content === "" ? `<D:${local}/>` : `<D:${local}>${content}</D:${local}>`;
  // In an attribute, `"` and the white space a reader would make spaces (XML §3.3.3) are written
  // as references.
  const uri = xmlText(namespace).replace(/["\t\n\r]/g, (char) => `&#${char.charCodeAt(0)};`);
  return namespace === "" ? `<${local} xmlns=""/>` : `<X:${local} xmlns:X="${uri}"/>`;
}
