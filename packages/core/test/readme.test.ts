import { readFileSync } from "node:fs";
import fc from "fast-check";
import { Marked } from "marked";
import { describe, expect, it } from "vitest";
import { README_MAX_BYTES, renderReadme } from "../src/listing/readme.js";
import { allowListed } from "../src/listing/readme-html.js";

/**
 * What the README fragment may hold once a browser has parsed it. The tokenizer below follows
 * the HTML standard's (§13.2.5: data, tag, attribute and character-reference states) rather than
 * the module's regular expressions, so the two do not share a blind spot.
 */
const ALLOWED: Record<string, readonly string[]> = {
  ...Object.fromEntries(
    [
      "p",
      "h1",
      "h2",
      "h3",
      "h4",
      "h5",
      "h6",
      "blockquote",
      "pre",
      "em",
      "strong",
      "del",
      "ul",
      "li",
      "table",
      "thead",
      "tbody",
      "tr",
      "hr",
      "br",
    ].map((name) => [name, []]),
  ),
  a: ["href", "title"],
  img: ["src", "alt", "title"],
  input: ["type", "disabled", "checked", "aria-label"],
  code: ["class"],
  ol: ["start"],
  th: ["class"],
  td: ["class"],
};

interface StartTag {
  name: string;
  attributes: Map<string, string>;
}

/** The start tags a browser finds in `html`; throws on a comment, doctype or processing instruction. */
function startTags(html: string): StartTag[] {
  const tags: StartTag[] = [];
  const space = /[\t\n\f\r ]/;
  for (let i = html.indexOf("<"); i !== -1; i = html.indexOf("<", i)) {
    const next = html[i + 1] ?? "";
    if (next === "!" || next === "?") throw new Error(`markup declaration at ${i}: ${html.slice(i, i + 40)}`);
    const end = next === "/";
    if (!/[a-zA-Z]/.test(html[i + (end ? 2 : 1)] ?? "")) {
      i++;
      continue;
    }
    i += end ? 2 : 1;
    let name = "";
    while (i < html.length && !space.test(html[i] ?? "") && html[i] !== "/" && html[i] !== ">") name += html[i++];
    const attributes = new Map<string, string>();
    for (;;) {
      while (space.test(html[i] ?? "") || html[i] === "/") i++;
      if (i >= html.length || html[i] === ">") break;
      let key = html[i++] ?? "";
      while (i < html.length && !space.test(html[i] ?? "") && !"/>=".includes(html[i] ?? "")) key += html[i++];
      while (space.test(html[i] ?? "")) i++;
      let value = "";
      if (html[i] === "=") {
        i++;
        while (space.test(html[i] ?? "")) i++;
        const quote = html[i] === '"' || html[i] === "'" ? html[i++] : null;
        while (i < html.length && (quote ? html[i] !== quote : !space.test(html[i] ?? "") && html[i] !== ">"))
          value += html[i++];
        if (quote) i++;
      }
      if (!attributes.has(key.toLowerCase())) attributes.set(key.toLowerCase(), decodeReferences(value));
    }
    i++;
    if (!end) tags.push({ name: name.toLowerCase(), attributes });
  }
  return tags;
}

/** Character references as a browser decodes them in an attribute; a named one it might know is refused. */
function decodeReferences(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code = /^#[xX]/.test(ref) ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFD";
    }
    const known: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (ref in known && whole.endsWith(";")) return known[ref] ?? "";
    throw new Error(`a named reference the test cannot decode: ${whole}`);
  });
}

/** The scheme a browser's URL parser reads (WHATWG URL: C0 and space trimmed, tabs and newlines removed). */
function scheme(url: string): string | null {
  const cleaned = url.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "").replace(/[\t\n\r]/g, "");
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase() ?? null;
}

/** Fails unless every element and attribute of `html` is on the allow-list, with safe URLs only. */
function expectSafe(html: string, source: string = html): void {
  for (const { name, attributes } of startTags(html)) {
    const allowed = ALLOWED[name];
    expect(allowed, `<${name}> from ${JSON.stringify(source)}`).toBeDefined();
    for (const [key, value] of attributes) {
      expect(allowed, `${key} on <${name}> from ${JSON.stringify(source)}`).toContain(key);
      if (key === "href")
        expect([null, "http", "https", "mailto"], `${value} from ${JSON.stringify(source)}`).toContain(scheme(value));
      if (key === "src")
        expect([null, "http", "https"], `${value} from ${JSON.stringify(source)}`).toContain(scheme(value));
    }
    if (name === "input") expect([attributes.get("type"), attributes.has("disabled")]).toEqual(["checkbox", true]);
  }
}

const HOSTILE = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '<iframe src="https://evil.example/"></iframe>',
  "<svg onload=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](java&#09;script:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](&#x6A;avascript:alert(1))",
  "[x](javascript&colon;alert(1))",
  "[x](<javascript:alert(1)>)",
  "[x]( javascript:alert(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](data:text/html,<script>alert(1)</script>)",
  "[x](vbscript:msgbox(1))",
  "<javascript:alert(1)>",
  "[x][r]\n\n[r]: javascript:alert(1)",
  "![x](javascript:alert(1))",
  '![x](x "a\\" onerror=\\"alert(1)")',
  '[x](y "a\\" onmouseover=\\"alert(1)")',
  '```js" onmouseover="alert(1)\ncode\n```',
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "`<script>`",
  "<details open ontoggle=alert(1)>",
  "<style>*{color:red}</style>",
  "<!-- --><script>alert(1)</script>",
  "<a href=x>[y](javascript:alert(1))</a>",
  "- [x] <input onfocus=alert(1) autofocus>",
  "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
];

describe("renderReadme", () => {
  it("renders CommonMark with GitHub's tables, task lists, strikethrough and autolinks", () => {
    const markdown = [
      "# Title",
      "Some *em*, **strong**, `code` and ~~old~~.",
      "- [x] done\n- [ ] to do",
      "| a | b |\n|:-:|--:|\n| 1 | 2 |",
      "See https://example.com and www.example.com.",
      "```ts\nconst a = 1 < 2;\n```",
      "> quoted\n\n3. three\n4. four",
    ].join("\n\n");
    expect(renderReadme(markdown)).toBe(
      "<h1>Title</h1>\n<p>Some <em>em</em>, <strong>strong</strong>, <code>code</code> and <del>old</del>.</p>\n" +
        '<ul>\n<li><input type="checkbox" disabled checked aria-label="done"> done</li>\n' +
        '<li><input type="checkbox" disabled aria-label="to do"> to do</li>\n</ul>\n' +
        '<table>\n<thead>\n<tr>\n<th class="align-center">a</th>\n<th class="align-right">b</th>\n</tr>\n' +
        '</thead>\n<tbody><tr>\n<td class="align-center">1</td>\n<td class="align-right">2</td>\n</tr>\n' +
        "</tbody></table>\n" +
        '<p>See <a href="https://example.com">https://example.com</a> and ' +
        '<a href="http://www.example.com">www.example.com</a>.</p>\n' +
        '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>\n' +
        '<blockquote>\n<p>quoted</p>\n</blockquote>\n<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n',
    );
  });

  it("leaves raw HTML out, blocks and inline, and keeps the Markdown around it", () => {
    expect(
      renderReadme('<!-- toc -->\n\n<p align="center">\n<img src="logo.png">\n</p>\n\nText <b>bold</b> <br> here.'),
    ).toBe("<p>Text bold  here.</p>\n");
  });

  it.each(HOSTILE)("writes no executable markup for %j", (markdown) => {
    const html = renderReadme(markdown) ?? "";
    expectSafe(html, markdown);
    expect(html).not.toMatch(/<(script|iframe|svg|style|details|input)\b(?! type="checkbox" disabled)/i);
  });

  it("writes no executable markup wherever the hostile Markdown stands", () => {
    const contexts = [
      "%",
      "# %",
      "- %",
      "> %",
      "1. %",
      "| h |\n|---|\n| % |",
      "[%](x)",
      "![%](x)",
      "*%*",
      "[^1]\n\n[^1]: %",
    ];
    for (const context of contexts)
      for (const hostile of HOSTILE) expectSafe(renderReadme(context.replace("%", hostile)) ?? "", hostile);
  });

  it("keeps links to http, https and mailto and relative ones, and drops the link of any other", () => {
    expect(
      renderReadme(
        "[a](https://x.example/?a=1&b=2) [b](http://x.example) [c](mailto:a@b.example) [d](ftp://x) [e](irc://x)",
      ),
    ).toBe(
      '<p><a href="https://x.example/?a=1&amp;b=2">a</a> <a href="http://x.example">b</a> ' +
        '<a href="mailto:a@b.example">c</a> d e</p>\n',
    );
    expect(
      renderReadme("![a](https://x.example/a.png) ![b](mailto:a@b.example) ![c](data:image/png;base64,AAAA)"),
    ).toBe('<p><img src="https://x.example/a.png" alt="a"> b c</p>\n');
  });

  it("leaves relative links and images relative, so they resolve against the folder's URL", () => {
    expect(
      renderReadme(
        "[a](guide.md) [b](./docs/) [c](../up.txt) [d](#usage) [e](?q=1) [f](<my file.md>) ![g](img/logo.png)",
      ),
    ).toBe(
      '<p><a href="guide.md">a</a> <a href="./docs/">b</a> <a href="../up.txt">c</a> <a href="#usage">d</a> ' +
        '<a href="?q=1">e</a> <a href="my%20file.md">f</a> <img src="img/logo.png" alt="g"></p>\n',
    );
  });

  it("gives headings and everything else no id, so nothing can shadow the page's own", () => {
    const html = renderReadme("# Title\n\n## listing\n\n[x]: y\n\nfoot[^1]\n\n[^1]: note") ?? "";
    expect(html).toContain("<h2>listing</h2>");
    expect(startTags(html).filter((tag) => tag.attributes.has("id") || tag.attributes.has("name"))).toEqual([]);
  });

  it("renders the project's own README safely", () => {
    for (const path of ["../../../README.md", "../../../docs/architecture.md"]) {
      const html = renderReadme(readFileSync(new URL(path, import.meta.url), "utf8"));
      expect(html, path).not.toBeNull();
      expectSafe(html ?? "");
    }
  });

  it("writes no executable markup for any Markdown made of hostile pieces", () => {
    const piece = fc.constantFrom(
      ...[
        "<",
        ">",
        "&",
        "#",
        ";",
        ":",
        '"',
        "'",
        "(",
        ")",
        "[",
        "]",
        "!",
        "*",
        "_",
        "`",
        "\\",
        "\n",
        "\t",
        " ",
        "|",
        "-",
        "x",
      ],
      ...[
        "javascript",
        "JaVaScRiPt:",
        "data:",
        "&#106;",
        "&#x09;",
        "&colon;",
        "<a href=",
        "<img src=x ",
        "onerror=",
        "](",
        "<script>",
      ],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const markdown = pieces.join("");
        expectSafe(renderReadme(markdown) ?? "", markdown);
      }),
      { numRuns: 3000 },
    );
  });

  it("renders nothing for text longer than README_MAX_BYTES", () => {
    expect(renderReadme("a".repeat(README_MAX_BYTES))).not.toBeNull();
    expect(renderReadme("a".repeat(README_MAX_BYTES + 1))).toBeNull();
  });

  it("renders nothing for a paragraph of emphasis delimiters, however its lines are broken", () => {
    const run = "*a_".repeat(500);
    expect(renderReadme(run.repeat(3))).toBeNull();
    // None of these lines ends the paragraph, so none may end the count.
    for (const join of ["\n", "\n*\n", "\n2. ", "\n    - ", "\n####### "])
      expect(renderReadme(run + join + run + join + run), JSON.stringify(join)).toBeNull();
    expect(renderReadme([`> ${run}`, run, run].join("\n> "))).toBeNull();
    // Blank lines, list items and headings do end it: each paragraph is paired on its own.
    for (const join of ["\n\n", "\n- ", "\n1. ", "\n# "])
      expect(renderReadme(run + join + run + join + run), JSON.stringify(join)).not.toBeNull();
  });

  it("renders nothing for containers nested deeper than a README nests", () => {
    expect(renderReadme(`${"- ".repeat(16)}a`)).not.toBeNull();
    expect(renderReadme(`${"- ".repeat(17)}a`)).toBeNull();
    expect(renderReadme(`${"> ".repeat(17)}a`)).toBeNull();
    expect(renderReadme(`${" ".repeat(65)}- a`)).toBeNull();
    expect(renderReadme(Array.from({ length: 40 }, (_, depth) => `${"  ".repeat(depth)}- a`).join("\n"))).toBeNull();
    // A rule drawn with spaced markers nests nothing.
    expect(renderReadme("- ".repeat(40))).toBe("<hr>\n");
  });

  it("renders nothing, rather than failing the listing, where marked throws", () => {
    // marked 18.2.1 throws a TypeError on this quote inside a list item (found by fuzzing).
    const markdown = "- a\n    > -\n  b";
    expect(() => new Marked().parse(markdown)).toThrow(TypeError);
    expect(renderReadme(markdown)).toBeNull();
  });

  it("renders nothing for more list items than any README holds", () => {
    expect(renderReadme("- a\n".repeat(20_000))).not.toBeNull();
    expect(renderReadme("- a\n".repeat(20_001))).toBeNull();
    // marked ends a line at a lone CR as well.
    expect(renderReadme("- a\r".repeat(20_001))).toBeNull();
  });
});

describe("allowListed", () => {
  it("drops elements and attributes off the list whatever writes them", () => {
    expect(
      allowListed(
        '<p onclick="x()" id="listing">a<script>b</script>' +
          '<IMG SRC="javascript:c" ONERROR="d"><a href=" java\tscript:e">f</a></p>',
      ),
    ).toBe('<p>ab<a href="%20java%09script:e">f</a></p>');
  });

  it("closes what it opens and ignores closing tags it did not open, so the page around stays whole", () => {
    expect(allowListed("</div></table><ul><li><em>a</li></section>")).toBe("<ul><li><em>a</em></li></ul>");
  });

  it("keeps the text of a link whose URL it refuses, and an image's alternative text, as plain text", () => {
    expect(allowListed('<p><a href="javascript:x"><em>a</em></a> <a>b</a><a href="y">c</a></p>')).toBe(
      '<p><em>a</em> b<a href="y">c</a></p>',
    );
    // The end tag of a link left out closes nothing else: here not the link around it.
    expect(allowListed('<a href="y">c<a href="data:x">d</a>e</a>')).toBe('<a href="y">cde</a>');
    expect(allowListed('<img src="javascript:x" alt="a <chart>"><img src="data:y"><img src="z.png" alt="z">')).toBe(
      'a &lt;chart&gt;<img src="z.png" alt="z">',
    );
  });

  it("escapes a < that starts no tag it can read, and writes again the values of those it can", () => {
    expect(allowListed('a < b <a href="u" title="x>y">c</a> <!-- d --> <a/b> <a href=x>e</a>')).toBe(
      'a &lt; b <a href="u" title="x&gt;y">c</a> &lt;!-- d --&gt; &lt;a/b&gt; &lt;a href=x&gt;e',
    );
  });

  it("writes nothing executable for any input at all", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."<>/=\"' \t\nabcdefhijlmnoprstvx:&#;0123456789") }), (html) =>
        expectSafe(allowListed(html), html),
      ),
      { numRuns: 5000 },
    );
  });
});
