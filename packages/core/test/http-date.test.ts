import { describe, expect, it } from "vitest";
import { formatHttpDate, parseHttpDate } from "../src/http/dates.js";

const EXPECTED = Date.UTC(1994, 10, 6, 8, 49, 37);

describe("HTTP-dates (RFC 9110 §5.6.7)", () => {
  it("formats an IMF-fixdate", () => {
    expect(formatHttpDate(EXPECTED)).toBe("Sun, 06 Nov 1994 08:49:37 GMT");
  });

  it.each(["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])(
    "parses %s",
    (value) => {
      expect(parseHttpDate(value)).toBe(EXPECTED);
    },
  );

  it.each([
    "0",
    "yesterday",
    "2026-01-01",
    "Sun, 06 Nov 1994 08:49:37 PST",
    "Sun, 31 Feb 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 25:49:37 GMT",
    "",
  ])("rejects %j", (value) => {
    expect(parseHttpDate(value)).toBeUndefined();
  });

  it("reads a two-digit year as the most recent past year with those digits, at most 50 years ahead", () => {
    const year = new Date().getUTCFullYear();
    const ahead = String((year + 10) % 100).padStart(2, "0");
    expect(new Date(parseHttpDate(`Sunday, 06-Nov-${ahead} 08:49:37 GMT`) ?? 0).getUTCFullYear()).toBe(year + 10);
    const farAhead = String((year + 60) % 100).padStart(2, "0");
    expect(new Date(parseHttpDate(`Sunday, 06-Nov-${farAhead} 08:49:37 GMT`) ?? 0).getUTCFullYear()).toBe(year - 40);
  });
});
