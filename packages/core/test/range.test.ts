import { beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_RANGES, parseRange, rangeHint } from "../src/http/range.js";
import { createHandler, type FileSystem, memoryFileSystem } from "../src/index.js";

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";
const SIZE = 10_000;
// Byte i is i % 251 (a prime), so every offset is recognisable in a body.
const data = Uint8Array.from({ length: SIZE }, (_, i) => i % 251);

const base = memoryFileSystem({ "data.bin": data, "empty.bin": new Uint8Array(0) }, { mtime: MTIME });
const read = vi.fn<FileSystem["read"]>(base.read);
const handler = createHandler({ fs: { ...base, read } });
const request = (headers: Record<string, string> = {}, method = "GET", path = "/data.bin") =>
  handler(new Request(`http://localhost${path}`, { method, headers }));
const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const pairs = (headers: Headers) => {
  const all: [string, string][] = [];
  for (const [name, value] of headers) all.push([name, value]);
  return all;
};

beforeEach(() => {
  read.mockClear();
});

/** A single-range 206 for `start`-`end`, byte-exact, read from the filesystem as exactly that range. */
async function expectPartial(response: Response, start: number, end: number): Promise<void> {
  expect(response.status).toBe(206);
  expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${SIZE}`);
  expect(response.headers.get("content-length")).toBe(String(end - start + 1));
  expect(response.headers.get("content-type")).toBe("application/octet-stream");
  expect(await bytes(response)).toEqual(data.slice(start, end + 1));
  // With the stat the handler found, so an adapter reads the very file it described.
  expect(read.mock.calls).toEqual([["data.bin", { start, end }, expect.objectContaining({ size: SIZE })]]);
}

async function expectWhole(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(response.headers.has("content-range")).toBe(false);
  expect(response.headers.get("content-length")).toBe(String(SIZE));
  expect(await bytes(response)).toEqual(data);
}

interface Part {
  headers: Map<string, string>;
  body: Uint8Array;
}

/** Splits a multipart/byteranges body (RFC 2046 §5.1.1) by the boundary its Content-Type names. */
function parseMultipart(body: Uint8Array, contentType: string): Part[] {
  const match = /^multipart\/byteranges;\s*boundary=("?)([^";]+)\1$/.exec(contentType);
  expect(match).not.toBeNull();
  const delimiter = `--${match?.[2] ?? ""}`;
  // Latin-1 keeps one char per byte, so offsets in the text are offsets in the body.
  const text = Array.from(body, (b) => String.fromCharCode(b)).join("");
  const close = `\r\n${delimiter}--\r\n`;
  expect(text.startsWith(`${delimiter}\r\n`)).toBe(true);
  expect(text.endsWith(close)).toBe(true);
  return text
    .slice(delimiter.length + 2, text.length - close.length)
    .split(`\r\n${delimiter}\r\n`)
    .map((chunk) => {
      const split = chunk.indexOf("\r\n\r\n");
      expect(split).toBeGreaterThan(0);
      const headers = new Map<string, string>();
      for (const line of chunk.slice(0, split).split("\r\n")) {
        const colon = line.indexOf(":");
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      return { headers, body: Uint8Array.from(chunk.slice(split + 4), (c) => c.charCodeAt(0)) };
    });
}

async function expectMultipart(response: Response, ranges: readonly (readonly [number, number])[]): Promise<void> {
  expect(response.status).toBe(206);
  expect(response.headers.has("content-range")).toBe(false);
  const body = await bytes(response);
  expect(response.headers.get("content-length")).toBe(String(body.byteLength));
  const parts = parseMultipart(body, response.headers.get("content-type") ?? "");
  expect(parts.map((part) => part.headers.get("content-range"))).toEqual(
    ranges.map(([s, e]) => `bytes ${s}-${e}/${SIZE}`),
  );
  for (const [i, part] of parts.entries()) {
    const [start = 0, end = 0] = ranges[i] ?? [];
    expect(part.headers.get("content-type")).toBe("application/octet-stream");
    expect(part.body).toEqual(data.slice(start, end + 1));
  }
  expect(read.mock.calls.map(([, range]) => range)).toEqual(ranges.map(([start, end]) => ({ start, end })));
}

describe("single ranges (§14.1.2, §14.4, §15.3.7.1)", () => {
  it("§14.3 advertises Accept-Ranges: bytes on file responses", async () => {
    for (const response of [await request(), await request({}, "HEAD"), await request({ range: "bytes=0-0" })]) {
      expect(response.headers.get("accept-ranges")).toBe("bytes");
    }
  });

  it("§14.1.2 serves bytes=0-99 as the first 100 bytes (206), reading only that range", async () => {
    await expectPartial(await request({ range: "bytes=0-99" }), 0, 99);
  });

  it("§14.1.2 serves bytes=100- from byte 100 to the end", async () => {
    await expectPartial(await request({ range: "bytes=100-" }), 100, SIZE - 1);
  });

  it("§14.1.2 serves bytes=-100 as the last 100 bytes", async () => {
    await expectPartial(await request({ range: "bytes=-100" }), SIZE - 100, SIZE - 1);
  });

  it("§14.1.2 clamps a last position past the end to the last byte", async () => {
    await expectPartial(await request({ range: "bytes=9990-20000" }), 9990, SIZE - 1);
  });

  it("§14.1.2 serves a suffix longer than the file as the whole file (206)", async () => {
    await expectPartial(await request({ range: "bytes=-20000" }), 0, SIZE - 1);
  });

  it("§15.5.17 answers an unsatisfiable range with 416 and Content-Range: bytes */size", async () => {
    for (const range of [`bytes=${SIZE}-`, "bytes=20000-30000", "bytes=-0", `bytes=${SIZE}-,20000-`]) {
      const response = await request({ range });
      expect(response.status).toBe(416);
      expect(response.headers.get("content-range")).toBe(`bytes */${SIZE}`);
    }
    expect(read).not.toHaveBeenCalled();
  });

  it("§14.2 ignores a syntactically invalid Range and sends the whole file (200)", async () => {
    for (const range of ["bytes=5-1", "bytes=abc", "items=0-1", "bytes=", "bytes=1-2-3", "bytes=-", "0-99"]) {
      await expectWhole(await request({ range }));
    }
  });

  it("§14.2 ignores Range for an empty file (200, no body)", async () => {
    for (const range of ["bytes=0-0", "bytes=-1", "bytes=0-"]) {
      const response = await request({ range }, "GET", "/empty.bin");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe("0");
      expect(response.headers.has("content-range")).toBe(false);
      expect((await bytes(response)).byteLength).toBe(0);
    }
  });

  it("§14.2 ignores Range on HEAD (defined for GET only): 200 with the whole file's Content-Length", async () => {
    const [whole, head] = [await request({}, "GET"), await request({ range: "bytes=10-19" }, "HEAD")];
    expect(head.status).toBe(200);
    expect(pairs(head.headers)).toEqual(pairs(whole.headers));
    expect(head.headers.get("content-length")).toBe(String(SIZE));
    expect(head.headers.has("content-range")).toBe(false);
    expect(head.body).toBeNull();
  });

  it("§14.2 ignores an unsatisfiable Range and an If-Range on HEAD alike: 200, never 416", async () => {
    const tag = (await request()).headers.get("etag") ?? "";
    const cases: Record<string, string>[] = [
      { range: `bytes=${SIZE}-` },
      { range: "bytes=0-9", "if-range": tag },
      { range: "bytes=0-9", "if-range": '"stale"' },
    ];
    for (const headers of cases) {
      const head = await request(headers, "HEAD");
      expect(head.status, JSON.stringify(headers)).toBe(200);
      expect(head.headers.get("content-length")).toBe(String(SIZE));
    }
  });

  it("§13.2.2 evaluates preconditions before Range: 304 and 412 win over 206", async () => {
    const etag = (await request()).headers.get("etag") ?? "";
    expect((await request({ range: "bytes=0-9", "if-none-match": etag })).status).toBe(304);
    expect((await request({ range: "bytes=0-9", "if-match": '"other"' })).status).toBe(412);
  });
});

describe("several ranges (§14.6, §15.3.7.2)", () => {
  it("§14.6 answers several ranges with a byte-exact multipart/byteranges 206, exact Content-Length", async () => {
    await expectMultipart(await request({ range: "bytes=0-9,20-29,-10" }), [
      [0, 9],
      [20, 29],
      [SIZE - 10, SIZE - 1],
    ]);
  });

  it("§15.3.7.2 sends the parts in the order the ranges were asked for", async () => {
    await expectMultipart(await request({ range: "bytes=500-599,0-9" }), [
      [500, 599],
      [0, 9],
    ]);
  });

  it("§15.3.7.2 coalesces overlapping and adjacent ranges: bytes=0-9,5-19,20-29 is one range 0-29", async () => {
    const response = await request({ range: "bytes=0-9,5-19,20-29" });
    expect(response.headers.get("content-type")).not.toMatch(/^multipart\//);
    await expectPartial(response, 0, 29);
  });

  it(`§14.2 serves up to ${MAX_RANGES} ranges as multipart`, async () => {
    const ranges = Array.from({ length: MAX_RANGES }, (_, i) => [i * 100, i * 100 + 9] as const);
    await expectMultipart(await request({ range: `bytes=${ranges.map(([s, e]) => `${s}-${e}`).join(",")}` }), ranges);
  });

  it(`§14.2 sends the whole file (200) for more than ${MAX_RANGES} ranges`, async () => {
    const specs = Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i * 100}-${i * 100 + 9}`);
    await expectWhole(await request({ range: `bytes=${specs.join(",")}` }));
  });

  it("§14.2 never sends a body much larger than the file for many overlapping ranges", async () => {
    const overlapping = [
      Array.from({ length: MAX_RANGES }, () => "0-").join(","),
      Array.from({ length: MAX_RANGES }, (_, i) => `${i}-${SIZE - 1 - i}`).join(","),
      Array.from({ length: MAX_RANGES }, (_, i) => (i % 2 ? "-9000" : "0-5000")).join(","),
    ];
    for (const range of overlapping) {
      const response = await request({ range });
      expect([200, 206]).toContain(response.status);
      expect((await bytes(response)).byteLength).toBeLessThanOrEqual(SIZE + 200);
    }
  });

  it("§14.2 ignores several ranges on HEAD too: 200 with the whole file's length", async () => {
    const head = await request({ range: "bytes=0-9,20-29" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("application/octet-stream");
    expect(head.headers.get("content-length")).toBe(String(SIZE));
    expect(head.body).toBeNull();
  });
});

describe("If-Range (§13.1.5)", () => {
  const etag = async () => (await request()).headers.get("etag") ?? "";

  it("§13.1.5 applies the Range when If-Range is the current strong ETag (206)", async () => {
    const tag = await etag();
    read.mockClear();
    await expectPartial(await request({ range: "bytes=0-99", "if-range": tag }), 0, 99);
  });

  it("§13.1.5 sends the whole file (200) when If-Range is another ETag", async () => {
    await expectWhole(await request({ range: "bytes=0-99", "if-range": '"something-else"' }));
  });

  it("§13.1.5 sends the whole file (200) for a weak ETag, even one matching ours", async () => {
    const tag = await etag();
    await expectWhole(await request({ range: "bytes=0-99", "if-range": `W/${tag}` }));
  });

  it("§13.1.5 applies the Range when If-Range is exactly the Last-Modified date (206)", async () => {
    await expectPartial(await request({ range: "bytes=0-99", "if-range": LAST_MODIFIED }), 0, 99);
  });

  it("§13.1.5 sends the whole file (200) when If-Range is an older or a newer date", async () => {
    for (const date of ["Fri, 02 Jan 2026 03:04:04 GMT", "Sat, 03 Jan 2026 03:04:05 GMT", "not a date"]) {
      await expectWhole(await request({ range: "bytes=0-99", "if-range": date }));
    }
  });

  it("§13.1.5 ignores If-Range without Range (200)", async () => {
    await expectWhole(await request({ "if-range": '"something-else"' }));
  });
});

describe("parseRange()", () => {
  it("§14.1.2 reads first-last, first- and -suffix, clamped to the size", () => {
    expect(parseRange("bytes=0-99", 1000)).toEqual({ kind: "partial", ranges: [{ start: 0, end: 99 }] });
    expect(parseRange("bytes=100-", 1000)).toEqual({ kind: "partial", ranges: [{ start: 100, end: 999 }] });
    expect(parseRange("bytes=-100", 1000)).toEqual({ kind: "partial", ranges: [{ start: 900, end: 999 }] });
    expect(parseRange("bytes=900-5000", 1000)).toEqual({ kind: "partial", ranges: [{ start: 900, end: 999 }] });
    expect(parseRange("bytes=-5000", 1000)).toEqual({ kind: "partial", ranges: [{ start: 0, end: 999 }] });
    expect(parseRange("bytes=0-0", 1000)).toEqual({ kind: "partial", ranges: [{ start: 0, end: 0 }] });
    expect(parseRange("bytes=0-99999999999999999999999", 1000)).toEqual({
      kind: "partial",
      ranges: [{ start: 0, end: 999 }],
    });
  });

  it("§14.1 compares the range unit case-insensitively and allows OWS around commas", () => {
    expect(parseRange("Bytes=0-1", 10)).toEqual({ kind: "partial", ranges: [{ start: 0, end: 1 }] });
    expect(parseRange("bytes=0-1 , 5-6", 10)).toEqual({
      kind: "partial",
      ranges: [
        { start: 0, end: 1 },
        { start: 5, end: 6 },
      ],
    });
  });

  it("§5.6.1.2 ignores empty elements of the range-set list", () => {
    expect(parseRange("bytes=0-1,,5-6", 10)).toEqual({
      kind: "partial",
      ranges: [
        { start: 0, end: 1 },
        { start: 5, end: 6 },
      ],
    });
  });

  it("§14.1.1 is unsatisfiable when no range overlaps the representation", () => {
    for (const header of ["bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=1000-,-0"]) {
      expect(parseRange(header, 1000)).toEqual({ kind: "unsatisfiable" });
    }
    expect(parseRange("bytes=0-1,2000-", 1000)).toEqual({ kind: "partial", ranges: [{ start: 0, end: 1 }] });
  });

  it("§14.2 treats an invalid header as no Range (whole)", () => {
    for (const header of [
      "bytes=5-1",
      "bytes=abc",
      "items=0-1",
      "bytes=",
      "bytes=1-2-3",
      "bytes=-",
      "bytes=1.5-2",
      "bytes=+1-2",
      "bytes=0-1,5-1",
      "0-1",
    ]) {
      expect(parseRange(header, 1000)).toEqual({ kind: "whole" });
    }
  });

  it("§14.2 ignores Range on an empty representation (whole)", () => {
    expect(parseRange("bytes=0-0", 0)).toEqual({ kind: "whole" });
    expect(parseRange("bytes=-1", 0)).toEqual({ kind: "whole" });
  });

  it("§15.3.7.2 coalesces overlapping and adjacent ranges, and §14.2 caps their number", () => {
    expect(parseRange("bytes=0-9,10-19", 100)).toEqual({ kind: "partial", ranges: [{ start: 0, end: 19 }] });
    expect(parseRange("bytes=0-9,5-19,20-29", 100)).toEqual({ kind: "partial", ranges: [{ start: 0, end: 29 }] });
    expect(parseRange("bytes=0-9,12-19,-5", 100)).toEqual({
      kind: "partial",
      ranges: [
        { start: 0, end: 9 },
        { start: 12, end: 19 },
        { start: 95, end: 99 },
      ],
    });
    const specs = (n: number) => `bytes=${Array.from({ length: n }, (_, i) => `${i * 3}-${i * 3}`).join(",")}`;
    expect(parseRange(specs(MAX_RANGES), 100)).toMatchObject({ kind: "partial" });
    expect(parseRange(specs(MAX_RANGES + 1), 100)).toEqual({ kind: "whole" });
  });
});

describe("rangeHint()", () => {
  it("reads the header as parseRange() does: one spec gives a hint, whatever empty elements or spaces around", () => {
    expect(rangeHint("bytes=0-9,")).toEqual({ start: 0, end: 9 });
    expect(rangeHint("Bytes = ,0-9,, ")).toEqual({ start: 0, end: 9 });
    expect(rangeHint("bytes=100-")).toEqual({ start: 100 });
    expect(rangeHint("bytes=-500")).toEqual({ suffix: 500 });
  });

  it("gives none for several ranges, an ignored header, or an empty suffix", () => {
    for (const header of [null, "bytes=0-9,20-29", "bytes=5-1", "items=0-1", "bytes=", "bytes=-0", "bytes=0-1,5-1"])
      expect(rangeHint(header), String(header)).toBeUndefined();
  });
});
