import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RANGES, parseRange, rangeHint } from "../src/http/range.js";
import { createHandler, memoryFileSystem } from "../src/index.js";

// Range headers from plausible to hostile: valid specs, suffixes, garbage, odd spacing and units.
const spec = fc.oneof(
  fc.tuple(fc.nat(2000), fc.nat(2000)).map(([a, b]) => `${a}-${b}`),
  fc.nat(2000).map((a) => `${a}-`),
  fc.nat(2000).map((n) => `-${n}`),
  fc.string({ maxLength: 6 }),
);
const rangeHeader = fc
  .tuple(
    fc.constantFrom("bytes", "BYTES", "items", ""),
    fc.array(spec, { minLength: 0, maxLength: 20 }),
    fc.constantFrom(",", ", ", " ,"),
  )
  .map(([unit, specs, separator]) => `${unit}=${specs.join(separator)}`);

describe("parseRange() properties", () => {
  it("always returns sorted-by-request, in-bounds, non-overlapping ranges, or whole, or unsatisfiable", () => {
    fc.assert(
      fc.property(rangeHeader, fc.nat(1500), (header, size) => {
        const result = parseRange(header, size);
        if (result.kind !== "partial") return;
        expect(result.ranges.length).toBeGreaterThan(0);
        expect(result.ranges.length).toBeLessThanOrEqual(MAX_RANGES);
        const sorted = [...result.ranges].sort((a, b) => a.start - b.start);
        sorted.forEach((range, i) => {
          expect(range.start).toBeGreaterThanOrEqual(0);
          expect(range.end).toBeGreaterThanOrEqual(range.start);
          expect(range.end).toBeLessThan(size);
          // Merged: a gap of at least one byte between neighbours.
          if (i > 0) expect(range.start).toBeGreaterThan((sorted[i - 1]?.end ?? -2) + 1);
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("rangeHint() properties", () => {
  it("hints exactly the one range parseRange() would send, or the bytes past the end it would refuse", () => {
    fc.assert(
      fc.property(rangeHeader, fc.integer({ min: 1, max: 1500 }), (header, size) => {
        const hint = rangeHint(header);
        if (hint === undefined) return;
        const result = parseRange(header, size);
        if ("suffix" in hint)
          expect(result).toEqual({
            kind: "partial",
            ranges: [{ start: Math.max(0, size - hint.suffix), end: size - 1 }],
          });
        else if (hint.start >= size) expect(result).toEqual({ kind: "unsatisfiable" });
        else
          expect(result).toEqual({
            kind: "partial",
            ranges: [{ start: hint.start, end: Math.min(hint.end ?? size - 1, size - 1) }],
          });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("range responses (property)", () => {
  const size = 1200;
  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) % 256);
  const handler = createHandler({ fs: memoryFileSystem({ "f.bin": bytes }) });

  it("answers any Range with a valid 200, 206 or 416, every byte served the file's byte at that offset", async () => {
    await fc.assert(
      fc.asyncProperty(rangeHeader, async (header) => {
        const response = await handler(new Request("http://localhost/f.bin", { headers: { range: header } }));
        const body = new Uint8Array(await response.arrayBuffer());
        expect([200, 206, 416]).toContain(response.status);
        if (response.status === 200) {
          expect(body).toEqual(bytes);
          return;
        }
        if (response.status === 416) {
          expect(response.headers.get("content-range")).toBe(`bytes */${size}`);
          return;
        }
        expect(Number(response.headers.get("content-length"))).toBe(body.byteLength);
        for (const part of parts(response.headers, body)) {
          const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(part.contentRange);
          expect(match).not.toBeNull();
          const [start, end, total] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
          expect(total).toBe(size);
          expect(part.body).toEqual(bytes.subarray(start, end + 1));
        }
        // Abuse never makes the answer much larger than the file.
        expect(body.byteLength).toBeLessThanOrEqual(size + MAX_RANGES * 200);
      }),
      { numRuns: 500 },
    );
  });
});

/** The (Content-Range, bytes) of a 206, single or multipart. */
function parts(headers: Headers, body: Uint8Array): { contentRange: string; body: Uint8Array }[] {
  const type = headers.get("content-type") ?? "";
  const boundary = /^multipart\/byteranges; boundary=(.+)$/.exec(type)?.[1];
  if (!boundary) return [{ contentRange: headers.get("content-range") ?? "", body }];
  const text = new TextDecoder("latin1").decode(body);
  const found: { contentRange: string; body: Uint8Array }[] = [];
  let at = text.indexOf(`--${boundary}\r\n`);
  while (at >= 0) {
    const headEnd = text.indexOf("\r\n\r\n", at);
    const head = text.slice(at, headEnd);
    const contentRange = /Content-Range: (.+)/.exec(head)?.[1]?.trim() ?? "";
    const [, start, end] = /bytes (\d+)-(\d+)/.exec(contentRange) ?? [];
    const length = Number(end) - Number(start) + 1;
    found.push({ contentRange, body: body.subarray(headEnd + 4, headEnd + 4 + length) });
    at = text.indexOf(`--${boundary}`, headEnd + 4 + length);
    if (text.startsWith(`--${boundary}--`, at)) break;
  }
  expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
  return found;
}
