import { describe, expect, it } from "vitest";
import { formatAccessLog } from "../src/index.js";

describe("formatAccessLog()", () => {
  const entry = { remoteAddress: "127.0.0.1", method: "GET", target: "/", httpVersion: "1.1", status: 200, time: new Date(2026, 10, 24, 12, 0, 0) };

  it("writes the seed's line, in local time", () => {
    expect(formatAccessLog(entry)).toBe('127.0.0.1 - - [24/Nov/2026 12:00:00] "GET / HTTP/1.1" 200 -');
  });

  it("escapes control characters so a request cannot forge a log line", () => {
    expect(formatAccessLog({ ...entry, target: "/a\r\n127.0.0.1 - - fake\x1b[31m" })).toBe(
      '127.0.0.1 - - [24/Nov/2026 12:00:00] "GET /a\\x0d\\x0a127.0.0.1 - - fake\\x1b[31m HTTP/1.1" 200 -',
    );
  });
});
