/**
 * S3's XML, read with fast-xml-parser.
 *
 * @module
 */
import { XMLParser } from "fast-xml-parser";

const parser = new XMLParser({
  // Every value stays a string: with parsing on, the key `0010` would come back as the number 10
  // and `1e3` as 1000; sizes are converted where they are read.
  parseTagValue: false,
  // A key may begin or end with spaces, and they are part of it.
  trimValues: false,
  ignoreAttributes: true,
  // One <Contents> or one <CommonPrefixes> is still a list.
  isArray: (name) => name === "Contents" || name === "CommonPrefixes",
});

/** A parsed document: elements as properties, repeated ones (see isArray) as arrays. */
export type XmlNode = Record<string, unknown>;

/** Parses an XML document. */
export function parseXml(text: string): XmlNode {
  return parser.parse(text) as XmlNode;
}

/** Parses what may not be XML at all (an HTML page, from something that is not S3): undefined then. */
export function parseXmlQuietly(text: string): XmlNode | undefined {
  try {
    return parseXml(text);
  } catch {
    return undefined;
  }
}

/** The text of child `name` of `node`, or undefined. An empty element (`<Prefix/>`) is `""`. */
export function text(node: unknown, name: string): string | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const value = (node as XmlNode)[name];
  return typeof value === "string" ? value : undefined;
}

/** The children `name` of `node` as a list (absent: empty). */
export function list(node: unknown, name: string): unknown[] {
  if (typeof node !== "object" || node === null) return [];
  const value = (node as XmlNode)[name];
  return Array.isArray(value) ? value : [];
}
