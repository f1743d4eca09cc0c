/**
 * The order of a listing's names: as a person reads them (letters before case and accents,
 * numbers by value), a total order over any string a file system can give, and one order for the
 * page, the JSON and the text forms.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { listedLabels } from "../../../test/support/listing.ts";
import { createHandler, type ListingJson, memoryFileSystem } from "../src/index.js";
import { compareNames } from "../src/listing/sort.js";

describe("names sorted as a person reads them", () => {
  it("puts Ärger beside the other a's, not after z, and ignores case", () => {
    const names = ["with spaces.txt", "Ärger.doc", "banana.txt", "apple.txt", "Zebra.txt", "zeta.txt", "Eclair.md"];
    expect(names.toSorted(compareNames)).toEqual([
      "apple.txt",
      "Ärger.doc",
      "banana.txt",
      "Eclair.md",
      "with spaces.txt",
      "Zebra.txt",
      "zeta.txt",
    ]);
  });

  it("reads numbers by their value: file2 before file10, a leading zero aside", () => {
    expect(["file10.txt", "file2.txt", "File1.txt", "file02.txt", "file1a.txt"].toSorted(compareNames)).toEqual([
      "File1.txt",
      "file1a.txt",
      "file02.txt",
      "file2.txt",
      "file10.txt",
    ]);
    expect(["v1.10", "v1.9", "v1.09.1", "v10"].toSorted(compareNames)).toEqual(["v1.9", "v1.09.1", "v1.10", "v10"]);
    // Longer than any number type holds: compared digit by digit.
    expect(compareNames(`n${"9".repeat(30)}`, `n1${"0".repeat(30)}`)).toBeLessThan(0);
  });

  it("puts an accented letter right after its base letter, and a Japanese voiced kana after its unvoiced one", () => {
    expect(["eb", "éa", "ea", "ec"].toSorted(compareNames)).toEqual(["ea", "éa", "eb", "ec"]);
    expect(["かき", "がか", "かか"].toSorted(compareNames)).toEqual(["かか", "がか", "かき"]);
  });

  it("breaks ties by accents, then case, then code units: equal only for the same string", () => {
    // "á" composed (U+00E1) and decomposed (a + U+0301) are two names on Linux: both listed, in a fixed order.
    expect(["á", "a\u0301", "Á", "a", "A"].toSorted(compareNames)).toEqual(["A", "a", "Á", "a\u0301", "á"]);
    expect(compareNames("a", "a")).toBe(0);
  });

  it("orders names holding bytes that are not UTF-8 (lone surrogates) among the others", () => {
    expect(["b", "a\uDCFF", "a", "\uDC80"].toSorted(compareNames)).toEqual(["a", "a\uDCFF", "b", "\uDC80"]);
  });
});

// Names from pieces that collide often (case, accents composed and not, digit runs, raw bytes),
// and from any code unit at all, lone surrogates included.
const piece = fc.oneof(
  fc.constantFrom("a", "A", "á", "Á", "a\u0301", "e", "é", "ß", "İ", "ı", "が", "か", "\u3099", "Σ", "σ", "ς"),
  fc.constantFrom("0", "00", "1", "01", "2", "9", "10", "007", " ", ".", "-", "_", "~", "/"),
  fc.integer({ min: 0xdc80, max: 0xdcff }).map((unit) => String.fromCharCode(unit)),
  fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
);
const name = fc.string({ unit: piece, maxLength: 6 });
const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe("compareNames is a total order over any string", () => {
  it("is antisymmetric, and 0 only for the same string", () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(sign(compareNames(a, b)) + sign(compareNames(b, a))).toBe(0);
        expect(compareNames(a, b) === 0).toBe(a === b);
      }),
      { numRuns: 5000 },
    );
  });

  it("is transitive", () => {
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        const [x, y, z] = [a, b, c].toSorted(compareNames) as [string, string, string];
        expect(compareNames(x, y)).toBeLessThanOrEqual(0);
        expect(compareNames(y, z)).toBeLessThanOrEqual(0);
        expect(compareNames(x, z)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 5000 },
    );
  });

  it("sorts any list into one order, whatever order it came in", () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 30 }), (names) => {
        const sorted = names.toSorted(compareNames);
        expect(names.toReversed().toSorted(compareNames)).toEqual(sorted);
        for (let i = 1; i < sorted.length; i++)
          expect(compareNames(sorted[i - 1] as string, sorted[i] as string)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("one order in every form", () => {
  const names = ["Ärger.doc", "apple.txt", "file10.txt", "file2.txt", "File1.txt", "éclair.md", "Zebra.txt"];
  const fs = memoryFileSystem(Object.fromEntries([...names.map((n) => [n, "x"]), ["Édition/", ""]]));
  const handler = createHandler({ fs });
  const get = async (query: string) => (await handler(new Request(`http://localhost/${query}`))).text();
  const expected = [
    "Édition/",
    "apple.txt",
    "Ärger.doc",
    "éclair.md",
    "File1.txt",
    "file2.txt",
    "file10.txt",
    "Zebra.txt",
  ];

  it("lists the page, the JSON and the text forms in the same order", async () => {
    expect(listedLabels(await get(""))).toEqual(expected);
    const json = JSON.parse(await get("?format=json")) as ListingJson;
    expect(json.entries.map((entry) => entry.name + (entry.kind === "directory" ? "/" : ""))).toEqual(expected);
    expect((await get("?format=text")).split("\n").slice(0, -1)).toEqual(expected);
  });
});
