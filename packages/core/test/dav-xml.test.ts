/**
 * The XML reader WebDAV bodies go through (dav/xml-reader.ts): elements by namespace, the
 * well-formedness and namespace rules it enforces, and, over generated documents and their
 * mutations, the same verdict and the same tree as saxes, a conforming parser.
 */
import fc from "fast-check";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { readXml, type XmlElement } from "../src/dav/xml-reader.ts";

// A prefix or local name that is an XML Name but no NCName (Namespaces §4): saxes takes `p:-1`,
// whose local part starts as no name may; the reader refuses it, as the QName production does.
const NOT_NCNAME = /^[-.0-9\u00B7]/;

/**
 * saxes' tree for `text`, in the reader's shape; `null` when saxes finds it not well-formed, or
 * when it takes what XML does not: a name that is no QName, a PI run into its target.
 */
function saxesTree(text: string): XmlElement | null {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let conforms = true;
  parser.on("opentag", (tag) => {
    const named = [tag, ...Object.values(tag.attributes)];
    if (named.some(({ prefix, local }) => NOT_NCNAME.test(local) || NOT_NCNAME.test(prefix))) conforms = false;
    const element: XmlElement = { namespace: tag.uri, local: tag.local, children: [] };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on("closetag", () => stack.pop());
  // saxes takes `<?x?y?>` (no space between the target and the rest), which §2.6 does not.
  parser.on("processinginstruction", ({ target }) => {
    const raw = text.slice(text.lastIndexOf(`<?${target}`, parser.position - 1), parser.position);
    if (!/^<\?[^\s?]+(?:[ \t\r\n][\s\S]*)?\?>$/.test(raw)) conforms = false;
  });
  try {
    parser.write(text).close();
    return conforms ? (root as XmlElement | null) : null;
  } catch {
    return null;
  }
}

const names = (element: XmlElement | null): unknown =>
  element && [`{${element.namespace}}${element.local}`, element.children.map(names)];

describe("readXml", () => {
  it("names elements by namespace, whatever their prefix, with default namespaces and scopes", () => {
    const text = `<?xml version="1.0" encoding="utf-8"?>
      <!-- a client's note --><?client hint?>
      <D:propfind xmlns:D="DAV:" xmlns="urn:default">
        <D:prop><x/><y:z xmlns:y="urn:&amp;y"/><w xmlns=""/><D:getetag xml:lang="en"/></D:prop>
        text &lt; &#x41; &#65; <![CDATA[<not a tag>]]>
      </D:propfind>
      `;
    expect(names(readXml(text))).toEqual([
      "{DAV:}propfind",
      [
        [
          "{DAV:}prop",
          [
            ["{urn:default}x", []],
            ["{urn:&y}z", []],
            ["{}w", []],
            ["{DAV:}getetag", []],
          ],
        ],
      ],
    ]);
  });

  it.each([
    ["an element left open", "<a><b></a>"],
    ["an end tag of another name", "<a></b>"],
    ["a prefix never declared", "<p:a/>"],
    ["a prefix undeclared (XML 1.0)", `<a xmlns:p="urn:p"><p:b xmlns:p=""/></a>`],
    ["the xmlns prefix declared", `<a xmlns:xmlns="urn:x"/>`],
    ["xml bound elsewhere", `<a xmlns:xml="urn:x"/>`],
    ["an attribute twice", `<a b="1" b="2"/>`],
    ["an attribute twice by expanded name", `<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>`],
    ["a name with two colons", "<a:b:c/>"],
    ["a DTD", `<!DOCTYPE a><a/>`],
    ["an entity not predefined", "<a>&nbsp;</a>"],
    ["a bare ampersand", "<a>R&D</a>"],
    ["a reference to NUL", "<a>&#0;</a>"],
    ["a control character", "<a>\u0001</a>"],
    ["two roots", "<a/><b/>"],
    ["text outside the root", "<a/>x"],
    ["no root", "<!-- only -->"],
    ["an XML declaration not first", ` <?xml version="1.0"?><a/>`],
    ["]]> in text", "<a>]]></a>"],
    ["< in an attribute", `<a b="<"/>`],
    ["-- in a comment", "<a><!-- x -- y --></a>"],
  ])("refuses %s", (_what, text) => {
    expect(readXml(text)).toBeNull();
    expect(saxesTree(text) === null || text.includes("<!DOCTYPE")).toBe(true);
  });

  it("reads a deep document without recursion", () => {
    const depth = 20_000;
    const tree = readXml(`${"<a>".repeat(depth)}${"</a>".repeat(depth)}`);
    let levels = 0;
    for (let element: XmlElement | undefined = tree ?? undefined; element; element = element.children[0]) levels++;
    expect(levels).toBe(depth);
  });
});

// Documents from a small grammar of what the reader must tell apart, then mutated.
// Weighted so that about a fifth of the unmutated documents are well-formed, the rest not.
const weighted = (...choices: [string, number][]) =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));
const prefix = weighted(["", 6], ["D", 6], ["x", 2], ["xml", 1], ["xmlns", 1]);
const local = fc.constantFrom("a", "prop", "getetag", "é", "b-1", "_c.d");
const uri = weighted(["DAV:", 6], ["urn:x", 3], ["a&amp;b", 1], ["", 1], ["http://www.w3.org/XML/1998/namespace", 1]);
const attribute = fc.oneof(
  { arbitrary: fc.tuple(prefix, local, uri).map(([p, l, u]) => ` ${p === "" ? "" : `${p}:`}${l}="${u}"`), weight: 1 },
  {
    arbitrary: fc
      .tuple(weighted(["D", 6], ["", 2], ["x", 2], ["xml", 1]), uri)
      .map(([p, u]) => ` xmlns${p === "" ? "" : `:${p}`}="${u}"`),
    weight: 2,
  },
);
const misc = fc.constantFrom(" ", "\n", "<!-- c -->", "<?pi x?>", "text", "&amp;", "&#x41;", "<![CDATA[<x>]]>");
/** An element with up to `depth` levels of elements in it, among text, comments and the like. */
function element(depth: number): fc.Arbitrary<string> {
  const content = depth === 0 ? fc.constant([]) : fc.array(fc.oneof(misc, element(depth - 1)), { maxLength: 3 });
  return fc.tuple(prefix, local, fc.array(attribute, { maxLength: 3 }), content).map(([p, l, attributes, inside]) => {
    const name = p === "" ? l : `${p}:${l}`;
    const start = `<${name}${attributes.join("")}`;
    return inside.length === 0 ? `${start}/>` : `${start}>${inside.join("")}</${name}>`;
  });
}
const documents = fc.tuple(
  fc.constantFrom("", `<?xml version="1.0"?>`, "<!-- x -->"),
  element(2),
  fc.constantFrom("", " ", "\n<!-- y -->"),
);
const mutations = fc.array(
  fc.tuple(
    fc.nat(),
    fc.constantFrom("", "<", ">", "/", "&", ":", '"', "'", "=", " ", "\t", ";", "#", "]]>", "<!--", "?>", "\u0001"),
  ),
  { maxLength: 2 },
);

function mutate(text: string, edits: readonly [number, string][]): string {
  let result = text;
  for (const [at, insert] of edits) {
    const where = at % (result.length + 1);
    result = result.slice(0, where) + insert + result.slice(where + (insert === "" ? 1 : 0));
  }
  return result;
}

describe("readXml and saxes", () => {
  it("agree on every generated document and its mutations: the same verdict and the same tree", () => {
    fc.assert(
      fc.property(documents, mutations, ([head, root, tail], edits) => {
        const text = mutate(`${head}${root}${tail}`, edits);
        expect(names(readXml(text)), text).toEqual(names(saxesTree(text)));
      }),
      { numRuns: 3000 },
    );
  });
});
