import { describe, expect, it } from "vitest";
import { evaluatePreconditions, ifRangeHolds, type Validators } from "../src/http/conditional.js";
import { parseHttpDate } from "../src/http/dates.js";
import { parseETagList, strongMatch, weakMatch } from "../src/http/etag.js";
import { createHandler, memoryFileSystem } from "../src/index.js";

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";
const EARLIER = "Fri, 02 Jan 2026 03:04:04 GMT";
const LATER = "Sat, 03 Jan 2026 00:00:00 GMT";
const fs = memoryFileSystem(
  {
    "hello.txt": "hello world\n",
    "same-a.txt": "aaaa",
    "same-b.txt": "bbbb",
    "site/index.html": "<h1>site</h1>",
    "big.bin": new Uint8Array(1000),
  },
  { mtime: MTIME },
);
const handler = createHandler({ fs });
const request = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  handler(new Request(`http://localhost${path}`, { method, headers }));
const STRONG_TAG = /^"[^"]*"$/;

let cachedTag: string | undefined;
async function helloTag(): Promise<string> {
  cachedTag ??= (await request("/hello.txt")).headers.get("etag") ?? "";
  expect(cachedTag).toMatch(STRONG_TAG);
  return cachedTag;
}

describe("validators (§8.8)", () => {
  it("§8.8.3 sends a strong ETag on every file response: GET, HEAD, 206, index file", async () => {
    const tag = await helloTag();
    const responses = [
      await request("/hello.txt", {}, "HEAD"),
      await request("/hello.txt", { range: "bytes=0-1" }),
      await request("/hello.txt", { range: "bytes=0-1" }, "HEAD"),
    ];
    for (const response of responses) expect(response.headers.get("etag")).toBe(tag);
    expect((await request("/site/")).headers.get("etag")).toMatch(STRONG_TAG);
    expect((await request("/big.bin")).headers.get("etag")).toMatch(STRONG_TAG);
  });

  it("§8.8.3 derives the ETag from metadata (size, mtime), never by hashing the content", async () => {
    // Same size and mtime, different bytes: a content hash would differ, metadata does not.
    const a = (await request("/same-a.txt")).headers.get("etag");
    expect(a).toMatch(STRONG_TAG);
    expect((await request("/same-b.txt")).headers.get("etag")).toBe(a);
  });

  it("§8.8.3 changes the ETag when the mtime or the size changes", async () => {
    const tagOf = async (content: string, mtime: number) => {
      const h = createHandler({ fs: memoryFileSystem({ "f.txt": content }, { mtime }) });
      return (await h(new Request("http://localhost/f.txt"))).headers.get("etag");
    };
    const base = await tagOf("abcd", MTIME);
    expect(await tagOf("abcd", MTIME + 1)).not.toBe(base);
    expect(await tagOf("abcde", MTIME)).not.toBe(base);
    expect(await tagOf("wxyz", MTIME)).toBe(base);
  });

  it("§8.8.2 sends Last-Modified as an IMF-fixdate on every file response", async () => {
    for (const response of [
      await request("/hello.txt"),
      await request("/hello.txt", {}, "HEAD"),
      await request("/hello.txt", { range: "bytes=0-0" }),
    ]) {
      expect(response.headers.get("last-modified")).toBe(LAST_MODIFIED);
    }
  });

  it("§8.8.2.1 never sends a Last-Modified later than the response's time", async () => {
    const future = Date.now() + 86_400_000;
    const h = createHandler({ fs: memoryFileSystem({ "f.txt": "x" }, { mtime: future }) });
    const value = (await h(new Request("http://localhost/f.txt"))).headers.get("last-modified") ?? "";
    const date = parseHttpDate(value);
    expect(date).toBeDefined();
    expect(date ?? Infinity).toBeLessThanOrEqual(Date.now());
  });
});

describe("If-Match (§13.1.1) and If-Unmodified-Since (§13.1.4)", () => {
  it("§13.1.1 passes If-Match with the current ETag (200)", async () => {
    expect((await request("/hello.txt", { "if-match": await helloTag() })).status).toBe(200);
  });

  it("§13.1.1 answers 412 when no If-Match tag matches", async () => {
    const response = await request("/hello.txt", { "if-match": '"nope"' });
    expect(response.status).toBe(412);
  });

  it("§13.1.1 passes If-Match: *", async () => {
    expect((await request("/hello.txt", { "if-match": "*" })).status).toBe(200);
  });

  it("§13.1.1 passes an If-Match list that contains the current ETag", async () => {
    expect((await request("/hello.txt", { "if-match": `"a", ${await helloTag()}, "b"` })).status).toBe(200);
  });

  it("§13.1.1 uses strong comparison: a W/ tag never satisfies If-Match (412)", async () => {
    expect((await request("/hello.txt", { "if-match": `W/${await helloTag()}` })).status).toBe(412);
  });

  it("§13.1.1 applies If-Match to HEAD as well (412)", async () => {
    expect((await request("/hello.txt", { "if-match": '"nope"' }, "HEAD")).status).toBe(412);
  });

  it("§13.1.4 answers 412 when the file changed after If-Unmodified-Since", async () => {
    expect((await request("/hello.txt", { "if-unmodified-since": EARLIER })).status).toBe(412);
  });

  it("§13.1.4 passes If-Unmodified-Since equal to or after Last-Modified (whole seconds)", async () => {
    expect((await request("/hello.txt", { "if-unmodified-since": LAST_MODIFIED })).status).toBe(200);
    expect((await request("/hello.txt", { "if-unmodified-since": LATER })).status).toBe(200);
  });

  it("§13.1.4 ignores an invalid If-Unmodified-Since date", async () => {
    for (const value of ["yesterday", "0", `${EARLIER}, ${EARLIER}`]) {
      expect((await request("/hello.txt", { "if-unmodified-since": value })).status).toBe(200);
    }
  });

  it("§13.2.2 ignores If-Unmodified-Since when If-Match is present", async () => {
    const response = await request("/hello.txt", { "if-match": await helloTag(), "if-unmodified-since": EARLIER });
    expect(response.status).toBe(200);
  });

  it("§13.2.2 evaluates If-Match before If-None-Match (412 wins over 304)", async () => {
    const response = await request("/hello.txt", { "if-match": '"nope"', "if-none-match": await helloTag() });
    expect(response.status).toBe(412);
  });

  it("§13.2.2 evaluates If-Unmodified-Since before If-None-Match (412 wins over 304)", async () => {
    const response = await request("/hello.txt", { "if-unmodified-since": EARLIER, "if-none-match": await helloTag() });
    expect(response.status).toBe(412);
  });
});

describe("If-None-Match (§13.1.2) and If-Modified-Since (§13.1.3)", () => {
  it("§13.1.2 answers 304 to GET and HEAD when the ETag matches", async () => {
    const tag = await helloTag();
    for (const method of ["GET", "HEAD"]) {
      const response = await request("/hello.txt", { "if-none-match": tag }, method);
      expect(response.status).toBe(304);
      expect(response.body).toBeNull();
    }
  });

  it("§13.1.2 uses weak comparison: a W/ echo of our strong tag matches (304)", async () => {
    const tag = await helloTag();
    for (const method of ["GET", "HEAD"])
      expect((await request("/hello.txt", { "if-none-match": `W/${tag}` }, method)).status).toBe(304);
  });

  it("§13.1.2 matches any tag of a list (304)", async () => {
    expect((await request("/hello.txt", { "if-none-match": `"a", W/"b", ${await helloTag()}` })).status).toBe(304);
  });

  it("§13.1.2 answers 304 to If-None-Match: * for an existing file", async () => {
    expect((await request("/hello.txt", { "if-none-match": "*" })).status).toBe(304);
    expect((await request("/hello.txt", { "if-none-match": "*" }, "HEAD")).status).toBe(304);
  });

  it("§13.1.2 answers 200 with the file when no tag matches", async () => {
    const response = await request("/hello.txt", { "if-none-match": '"a", W/"b"' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("hello world\n");
  });

  it("§13.2.2 a non-matching If-None-Match wins over a matching If-Modified-Since (200)", async () => {
    const response = await request("/hello.txt", { "if-none-match": '"other"', "if-modified-since": LATER });
    expect(response.status).toBe(200);
  });

  it("§13.1.3 answers 304 to GET and HEAD when not modified since the date", async () => {
    for (const method of ["GET", "HEAD"]) {
      expect((await request("/hello.txt", { "if-modified-since": LAST_MODIFIED }, method)).status).toBe(304);
      expect((await request("/hello.txt", { "if-modified-since": LATER }, method)).status).toBe(304);
    }
  });

  it("§13.1.3 answers 200 when modified after If-Modified-Since", async () => {
    expect((await request("/hello.txt", { "if-modified-since": EARLIER })).status).toBe(200);
  });

  it("§13.1.3 ignores an invalid If-Modified-Since date (200)", async () => {
    for (const value of ["yesterday", "0", "Fri, 32 Jan 2026 03:04:05 GMT", `${LAST_MODIFIED}, ${LAST_MODIFIED}`]) {
      expect((await request("/hello.txt", { "if-modified-since": value })).status).toBe(200);
    }
  });

  it("§15.4.5 a 304 carries ETag, Last-Modified, Cache-Control and Vary as the 200 would, and no body", async () => {
    const h = createHandler({
      fs: memoryFileSystem({ "app.js": "x".repeat(100), "app.js.br": "b" }, { mtime: MTIME }),
      precompressed: true,
      cacheControl: { maxAge: 60 },
    });
    const init = { headers: { "accept-encoding": "br" } };
    const full = await h(new Request("http://localhost/app.js", init));
    const etag = full.headers.get("etag") ?? "";
    const notModified = await h(
      new Request("http://localhost/app.js", { headers: { ...init.headers, "if-none-match": etag } }),
    );
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
    for (const name of ["etag", "last-modified", "cache-control", "vary"]) {
      expect(full.headers.get(name)).not.toBeNull();
      expect(notModified.headers.get(name)).toBe(full.headers.get(name));
    }
  });
});

describe("evaluatePreconditions()", () => {
  const current: Validators = { etag: '"abc"', lastModified: MTIME };
  const evaluate = (headers: Record<string, string>, method = "GET") =>
    evaluatePreconditions(new Headers(headers), method, current);

  it("§13.2.2 answers 200 without preconditions", () => {
    expect(evaluate({})).toBe(200);
  });

  it("§13.1.1 If-Match: strong comparison, lists and *", () => {
    expect(evaluate({ "if-match": '"abc"' })).toBe(200);
    expect(evaluate({ "if-match": '"x", "abc"' })).toBe(200);
    expect(evaluate({ "if-match": "*" })).toBe(200);
    expect(evaluate({ "if-match": '"x"' })).toBe(412);
    expect(evaluate({ "if-match": 'W/"abc"' })).toBe(412);
  });

  it("§13.1.4 If-Unmodified-Since at whole-second precision, ignored under If-Match", () => {
    expect(evaluate({ "if-unmodified-since": LAST_MODIFIED })).toBe(200);
    expect(evaluate({ "if-unmodified-since": EARLIER })).toBe(412);
    expect(evaluate({ "if-unmodified-since": "garbage" })).toBe(200);
    expect(evaluate({ "if-match": '"abc"', "if-unmodified-since": EARLIER })).toBe(200);
  });

  it("§13.1.2 If-None-Match: weak comparison, 304 for GET/HEAD, 412 for other methods", () => {
    for (const value of ['"abc"', 'W/"abc"', '"x", W/"abc"', "*"]) {
      expect(evaluate({ "if-none-match": value })).toBe(304);
      expect(evaluate({ "if-none-match": value }, "HEAD")).toBe(304);
      expect(evaluate({ "if-none-match": value }, "POST")).toBe(412);
      expect(evaluate({ "if-none-match": value }, "PUT")).toBe(412);
    }
    expect(evaluate({ "if-none-match": '"x"' })).toBe(200);
  });

  it("§13.1.3 If-Modified-Since only when If-None-Match is absent, and only for GET/HEAD", () => {
    expect(evaluate({ "if-modified-since": LAST_MODIFIED })).toBe(304);
    expect(evaluate({ "if-modified-since": LAST_MODIFIED }, "HEAD")).toBe(304);
    expect(evaluate({ "if-modified-since": EARLIER })).toBe(200);
    expect(evaluate({ "if-modified-since": LAST_MODIFIED }, "POST")).toBe(200);
    expect(evaluate({ "if-none-match": '"x"', "if-modified-since": LATER })).toBe(200);
  });

  it("§13.2.2 orders If-Match and If-Unmodified-Since before If-None-Match", () => {
    expect(evaluate({ "if-match": '"x"', "if-none-match": '"abc"' })).toBe(412);
    expect(evaluate({ "if-unmodified-since": EARLIER, "if-none-match": '"abc"' })).toBe(412);
  });
});

describe("ifRangeHolds() (§13.1.5)", () => {
  const current: Validators = { etag: '"abc"', lastModified: MTIME };

  it("§13.1.5 holds for the current strong ETag only, never a weak one", () => {
    expect(ifRangeHolds('"abc"', current)).toBe(true);
    expect(ifRangeHolds(' "abc" ', current)).toBe(true);
    expect(ifRangeHolds('"other"', current)).toBe(false);
    expect(ifRangeHolds('W/"abc"', current)).toBe(false);
    expect(ifRangeHolds('W/"abc"', { ...current, etag: 'W/"abc"' })).toBe(false);
  });

  it("§13.1.5 holds for a date exactly equal to Last-Modified", () => {
    expect(ifRangeHolds(LAST_MODIFIED, current)).toBe(true);
    expect(ifRangeHolds(EARLIER, current)).toBe(false);
    expect(ifRangeHolds(LATER, current)).toBe(false);
    expect(ifRangeHolds("not a date", current)).toBe(false);
  });
});

describe("entity tag parsing and comparison (§8.8.3)", () => {
  it("§8.8.3 parseETagList splits lists, keeps W/ and *, and allows commas inside tags", () => {
    expect(parseETagList('"a"')).toEqual(['"a"']);
    expect(parseETagList(' "a" ,W/"b",  "c,d" ')).toEqual(['"a"', 'W/"b"', '"c,d"']);
    expect(parseETagList("*")).toEqual(["*"]);
    expect(parseETagList("")).toEqual([]);
  });

  it("§5.6.1.2 ignores empty list elements in If-Match / If-None-Match", async () => {
    expect(parseETagList('"a", , "b"')).toEqual(['"a"', '"b"']);
    expect(parseETagList(', "a",')).toEqual(['"a"']);
    expect((await request("/hello.txt", { "if-match": `"x", , ${await helloTag()}` })).status).toBe(200);
  });

  it("§8.8.3 strongMatch needs both tags strong and identical", () => {
    expect(strongMatch('"1"', '"1"')).toBe(true);
    expect(strongMatch('W/"1"', '"1"')).toBe(false);
    expect(strongMatch('"1"', 'W/"1"')).toBe(false);
    expect(strongMatch('W/"1"', 'W/"1"')).toBe(false);
    expect(strongMatch('"1"', '"2"')).toBe(false);
  });

  it("§8.8.3 weakMatch compares opaque values, weak or not", () => {
    expect(weakMatch('"1"', '"1"')).toBe(true);
    expect(weakMatch('W/"1"', '"1"')).toBe(true);
    expect(weakMatch('"1"', 'W/"1"')).toBe(true);
    expect(weakMatch('W/"1"', 'W/"1"')).toBe(true);
    expect(weakMatch('W/"1"', 'W/"2"')).toBe(false);
  });
});
