import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeName, encodeName, hasRawBytes, nameBytes, nameFromBytes } from "../src/fs/names.js";
import { createHandler, memoryFileSystem } from "../src/index.js";

const invalid = "inv\uDCFFalid.txt";

describe("names that are bytes (surrogateescape)", () => {
  it("leaves valid UTF-8 as it reads and escapes each other byte as U+DC80–U+DCFF", () => {
    expect(nameFromBytes(new TextEncoder().encode("naïve 日本.txt"))).toBe("naïve 日本.txt");
    expect(nameFromBytes(Uint8Array.from([0x69, 0x6e, 0x76, 0xff, 0x61]))).toBe("inv\uDCFFa");
    // Overlong forms, surrogates and a truncated sequence are not UTF-8 (RFC 3629 §3).
    expect(nameFromBytes(Uint8Array.from([0xc0, 0xaf]))).toBe("\uDCC0\uDCAF");
    expect(nameFromBytes(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe("\uDCED\uDCA0\uDC80");
    expect(nameFromBytes(Uint8Array.from([0xe6, 0x97]))).toBe("\uDCE6\uDC97");
  });

  it("turns any bytes into a name and back, and any name into a link and back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const name = nameFromBytes(bytes);
        expect(nameBytes(name)).toEqual(bytes);
        expect(decodeName(encodeName(name))).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes the low half of a surrogate pair (U+10080 is D800 DC80) for a character, not an escaped byte", () => {
    const astral = Uint8Array.from([0xf0, 0x90, 0x82, 0x80]);
    expect(nameFromBytes(astral)).toBe("\u{10080}");
    expect(hasRawBytes("\u{10080}")).toBe(false);
    expect(nameBytes("\u{10080}\uDC80")).toEqual(Uint8Array.from([0xf0, 0x90, 0x82, 0x80, 0x80]));
    expect(encodeName("\u{10080}\uDC80")).toBe("%F0%90%82%80%80");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(nameBytes(text)).toEqual(new TextEncoder().encode(text));
        expect(decodeName(encodeName(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it("encodes an escaped byte as its own %XX, which encodeURIComponent cannot", () => {
    expect(() => encodeURIComponent(invalid)).toThrow(URIError);
    expect(encodeName(invalid)).toBe("inv%FFalid.txt");
    expect(encodeName("a b#\uDC80?")).toBe("a%20b%23%80%3F");
    expect(hasRawBytes(invalid)).toBe(true);
    expect(hasRawBytes("naïve")).toBe(false);
  });

  it("answers null for a malformed escape, whatever else the segment holds", () => {
    for (const segment of ["%", "%zz", "%FF%4", "%FF%", "%E6%97%A5%"]) expect(decodeName(segment), segment).toBeNull();
  });
});

describe("serving and listing such names", () => {
  const handler = createHandler({
    fs: memoryFileSystem({ [invalid]: "bytes", "d\uDCE9/inner.txt": "inner", "ok.txt": "ok" }, { mtime: 0 }),
  });
  const get = (path: string) => handler(new Request(`http://localhost${path}`));

  it("lists a name that is not UTF-8 with U+FFFD shown, linked by its own bytes", async () => {
    const html = await (await get("/")).text();
    expect(html).toContain('<a href="inv%FFalid.txt">inv\uFFFDalid.txt</a>');
    expect(html).toContain('<a href="d%E9/">d\uFFFD/</a>');
  });

  it("serves it through the link the listing wrote", async () => {
    const response = await get("/inv%FFalid.txt");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("bytes");
    expect(await (await get("/d%E9/inner.txt")).text()).toBe("inner");
  });

  it("redirects such a directory to its slash form with the bytes percent-encoded", async () => {
    const response = await get("/d%E9");
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/d%E9/");
  });

  it("keeps a U+FFFD in the URL apart from the byte it replaces", async () => {
    expect((await get("/inv%EF%BF%BDalid.txt")).status).toBe(404);
  });
});
