/**
 * A small, strict, namespace-aware XML reader (XML 1.0, Namespaces in XML 1.0), for the bodies
 * WebDAV clients send: it answers the tree of elements, each by namespace and local name, or
 * `null` for anything that is not a well-formed document.
 *
 * Why not a library: the namespace-aware parsers on npm (saxes, @xmldom/xmldom) are CommonJS with
 * only a `main` field, which a bundle for a neutral platform (workerd, as the core is tested) does
 * not read; the ones that bundle (fast-xml-parser, txml) keep prefixes as text, so
 * `<x:getetag xmlns:x="DAV:"/>` and `<getetag xmlns="urn:other"/>` would be mistaken for each other.
 * A PROPFIND body needs elements and namespaces, nothing more: text is checked, then dropped.
 *
 * A DTD is refused (RFC 4918 §20.5: entities could expand a billion times, or name a file), and
 * with it every entity but the five XML predefines.
 *
 * @module
 */

/** An element: its expanded name, and the elements in it. */
export interface XmlElement {
  /** The namespace URI; `""` when the element is in none. */
  namespace: string;
  local: string;
  children: XmlElement[];
}

const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";

// XML 1.0 (fifth edition) §2.3 NameStartChar and NameChar, without ":" (Namespaces §3: NCName).
const START = "A-Z_a-z\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F";
const START_MORE = "\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NCNAME = `[${START}${START_MORE}][${START}${START_MORE}\\-.0-9\\xB7\\u0300-\\u036F\\u203F-\\u2040]*`;
const S = "[ \\t\\r\\n]";
// A QName (Namespaces §4): a prefix and a local name, or a local name alone.
const QNAME = `(?:(${NCNAME}):)?(${NCNAME})`;

const NOT_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const XML_DECL = new RegExp(
  `<\\?xml${S}+version${S}*=${S}*(?:"1\\.[0-9]+"|'1\\.[0-9]+')` +
    `(?:${S}+encoding${S}*=${S}*(?:"[A-Za-z][\\w.-]*"|'[A-Za-z][\\w.-]*'))?` +
    `(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*\\?>`,
  "y",
);
const SPACE = new RegExp(`${S}+`, "y");
const COMMENT = /<!--(?:[^-]|-(?!-))*-->/y;
const PI = new RegExp(`<\\?(${NCNAME})(?:${S}[\\s\\S]*?)?\\?>`, "uy");
const CDATA = /<!\[CDATA\[[\s\S]*?\]\]>/y;
const TEXT = /[^<&]+/y;
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|apos|quot));/y;
const START_TAG = new RegExp(`<${QNAME}`, "uy");
const ATTRIBUTE = new RegExp(`${S}+${QNAME}${S}*=${S}*(?:"([^<"]*)"|'([^<']*)')`, "uy");
const TAG_END = new RegExp(`${S}*(/?)>`, "y");
const END_TAG = new RegExp(`</${QNAME}${S}*>`, "uy");
const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", apos: "'", quot: '"' };

/** Where the reader is in the text. */
interface Cursor {
  text: string;
  at: number;
}

function eat(cursor: Cursor, pattern: RegExp): RegExpExecArray | null {
  pattern.lastIndex = cursor.at;
  const match = pattern.exec(cursor.text);
  if (match !== null) cursor.at = pattern.lastIndex;
  return match;
}

/** Skips white space, comments and processing instructions (what may stand around the root). */
function skipMisc(cursor: Cursor): boolean {
  for (;;) {
    const pi = eat(cursor, PI);
    if (pi !== null && pi[1]?.toLowerCase() === "xml") return false;
    if (pi === null && eat(cursor, SPACE) === null && eat(cursor, COMMENT) === null) return true;
  }
}

/**
 * Reads `text` as an XML document.
 *
 * @param text The document, decoded.
 * @returns Its root element, or `null` when it is not well-formed, breaks a namespace rule, or has
 *   a DTD.
 * @example
 * ```ts
 * readXml('<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>');
 * // { namespace: "DAV:", local: "propfind", children: [{ namespace: "DAV:", local: "allprop", children: [] }] }
 * readXml("<a><b></a>"); // null
 * ```
 */
export function readXml(text: string): XmlElement | null {
  if (NOT_CHAR.test(text)) return null;
  const cursor: Cursor = { text, at: 0 };
  eat(cursor, XML_DECL);
  if (!skipMisc(cursor)) return null;
  const root = readElement(cursor);
  if (root === null || !skipMisc(cursor)) return null;
  return cursor.at === text.length ? root : null;
}

/** An element open, with the namespaces in scope inside it. */
interface Open {
  element: XmlElement;
  /** The QName as written, which its end tag must repeat. */
  qname: string;
  scope: ReadonlyMap<string, string>;
}

const TOP_SCOPE: ReadonlyMap<string, string> = new Map([
  ["xml", XML_NAMESPACE],
  ["", ""],
]);

/** Reads the element at the cursor and all it holds, without recursion (a deep body costs no stack). */
function readElement(cursor: Cursor): XmlElement | null {
  const first = startTag(cursor, TOP_SCOPE);
  if (first === null) return null;
  if (first.empty) return first.open.element;
  const stack: Open[] = [first.open];
  while (stack.length > 0) {
    const current = stack.at(-1) as Open;
    const end = eat(cursor, END_TAG);
    if (end !== null) {
      if (`${end[1] === undefined ? "" : `${end[1]}:`}${end[2]}` !== current.qname) return null;
      stack.pop();
      continue;
    }
    // A child element; `<!` (a comment, CDATA) and `<?` (a PI) are content, below.
    const next = cursor.text[cursor.at + 1];
    if (cursor.text[cursor.at] === "<" && next !== "!" && next !== "?") {
      const child = startTag(cursor, current.scope);
      if (child === null) return null;
      current.element.children.push(child.open.element);
      if (!child.empty) stack.push(child.open);
      continue;
    }
    if (!skipContent(cursor)) return null;
  }
  return first.open.element;
}

/** Skips one piece of character content: text, a reference, CDATA, a comment or a PI. */
function skipContent(cursor: Cursor): boolean {
  const text = eat(cursor, TEXT);
  if (text !== null) return !text[0].includes("]]>");
  const reference = eat(cursor, REFERENCE);
  if (reference !== null) return referenced(reference) !== null;
  if (eat(cursor, CDATA) !== null || eat(cursor, COMMENT) !== null) return true;
  const pi = eat(cursor, PI);
  return pi !== null && pi[1]?.toLowerCase() !== "xml";
}

/** The character a reference stands for; `null` for a character reference to what is no Char. */
function referenced(match: RegExpExecArray): string | null {
  const [, decimal, hex, name] = match;
  if (name !== undefined) return PREDEFINED[name] ?? null;
  const code = decimal === undefined ? Number.parseInt(hex ?? "", 16) : Number(decimal);
  if (!(code <= 0x10ffff)) return null;
  const char = String.fromCodePoint(code);
  return NOT_CHAR.test(char) ? null : char;
}

/** An attribute value with its references replaced (and white space made spaces, §3.3.3). */
function attributeValue(raw: string): string | null {
  let value = "";
  const cursor: Cursor = { text: raw, at: 0 };
  while (cursor.at < raw.length) {
    const amp = raw.indexOf("&", cursor.at);
    value += raw.slice(cursor.at, amp === -1 ? raw.length : amp).replace(/[\t\r\n]/g, " ");
    if (amp === -1) break;
    cursor.at = amp;
    const reference = eat(cursor, REFERENCE);
    const char = reference === null ? null : referenced(reference);
    if (char === null) return null;
    value += char;
  }
  return value;
}

/** A start tag read: the element open, and whether it was empty (`<x/>`). */
interface Started {
  open: Open;
  empty: boolean;
}

/** Reads a start tag, binding its namespace declarations (Namespaces §3, §5, §6.3). */
function startTag(cursor: Cursor, parent: ReadonlyMap<string, string>): Started | null {
  const name = eat(cursor, START_TAG);
  if (name === null) return null;
  const attributes: { prefix: string | undefined; local: string; value: string }[] = [];
  for (let found = eat(cursor, ATTRIBUTE); found !== null; found = eat(cursor, ATTRIBUTE)) {
    const value = attributeValue(found[3] ?? found[4] ?? "");
    if (value === null) return null;
    attributes.push({ prefix: found[1], local: found[2] ?? "", value });
  }
  const close = eat(cursor, TAG_END);
  if (close === null) return null;
  const scope = declared(parent, attributes);
  if (scope === null) return null;
  const namespace = scope.get(name[1] ?? "");
  if (namespace === undefined || !uniqueAttributes(scope, attributes)) return null;
  const qname = `${name[1] === undefined ? "" : `${name[1]}:`}${name[2]}`;
  const element: XmlElement = { namespace, local: name[2] ?? "", children: [] };
  return { open: { element, qname, scope }, empty: close[1] === "/" };
}

/** The scope inside an element: `parent` with the element's `xmlns` declarations; `null` if one is wrong. */
function declared(
  parent: ReadonlyMap<string, string>,
  attributes: readonly { prefix: string | undefined; local: string; value: string }[],
): ReadonlyMap<string, string> | null {
  let scope: Map<string, string> | undefined;
  for (const { prefix, local, value: written } of attributes) {
    const declares = prefix === "xmlns" ? local : prefix === undefined && local === "xmlns" ? "" : null;
    if (declares === null) continue;
    // White space around a namespace name is no part of it (no URI holds any); saxes drops it too.
    const value = written.trim();
    // §3: xmlns is never declared, xml only to its own name, and neither name is bound elsewhere;
    // a prefix is never undeclared in XML 1.0 (an empty name), the default may be.
    if (declares === "xmlns" || (declares === "xml") !== (value === XML_NAMESPACE)) return null;
    if (value === XMLNS_NAMESPACE || (declares !== "" && value === "")) return null;
    scope ??= new Map(parent);
    scope.set(declares, value);
  }
  return scope ?? parent;
}

/** No two attributes with one name, written or expanded (Namespaces §6.3); every prefix bound. */
function uniqueAttributes(
  scope: ReadonlyMap<string, string>,
  attributes: readonly { prefix: string | undefined; local: string }[],
): boolean {
  const seen = new Set<string>();
  for (const { prefix, local } of attributes) {
    const written = `${prefix ?? ""}:${local}`;
    const namespace = prefix === undefined ? "" : prefix === "xmlns" ? XMLNS_NAMESPACE : scope.get(prefix);
    if (namespace === undefined) return false;
    const expanded = `{${namespace}}${local}`;
    if (seen.has(written) || (prefix !== undefined && seen.has(expanded))) return false;
    seen.add(written);
    if (prefix !== undefined) seen.add(expanded);
  }
  return true;
}
