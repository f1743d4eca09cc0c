import { describe, expect, it } from "vitest";
import { clientAddress, formatAccessLog, logFields } from "../src/index.js";

describe("formatAccessLog()", () => {
  const entry = {
    remoteAddress: "127.0.0.1",
    method: "GET",
    target: "/",
    httpVersion: "1.1",
    status: 200,
    time: new Date(2026, 10, 24, 12, 0, 0),
    durationMs: 1.5,
  };

  it("writes the seed's line, in local time", () => {
    expect(formatAccessLog(entry)).toBe('127.0.0.1 - - [24/Nov/2026 12:00:00] "GET / HTTP/1.1" 200 -');
  });

  it("escapes control characters so a request cannot forge a log line", () => {
    expect(formatAccessLog({ ...entry, target: "/a\r\n127.0.0.1 - - fake\x1b[31m" })).toBe(
      '127.0.0.1 - - [24/Nov/2026 12:00:00] "GET /a\\x0d\\x0a127.0.0.1 - - fake\\x1b[31m HTTP/1.1" 200 -',
    );
  });

  it("doubles a backslash and escapes C1 controls, as Python 3.12's log_message does", () => {
    // http/server.py: _control_char_table maps 0x00-0x1f and 0x7f-0x9f to \xhh, and "\\" to "\\\\".
    expect(formatAccessLog({ ...entry, target: "/docs\\guide.html\x7f\x85\xa0é" })).toBe(
      '127.0.0.1 - - [24/Nov/2026 12:00:00] "GET /docs\\\\guide.html\\x7f\\x85\xa0é HTTP/1.1" 200 -',
    );
  });
});

describe("what adapters log", () => {
  it("writes an IPv4 client of a dual-stack socket as IPv4 (RFC 4291 §2.5.5.2)", () => {
    expect(clientAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(clientAddress("::1")).toBe("::1");
    expect(clientAddress("::ffff:abcd")).toBe("::ffff:abcd");
    expect(clientAddress(undefined)).toBe("-");
  });

  it("takes the body's length from Content-Length, 0 for HEAD and 304, and the Referer and User-Agent", () => {
    const headers = new Headers({ referer: "https://example.com/", "user-agent": "curl/8" });
    expect(logFields(headers, "1234", "GET", 200)).toEqual({
      bytes: 1234,
      referer: "https://example.com/",
      userAgent: "curl/8",
    });
    expect(logFields(headers, "1234", "HEAD", 200).bytes).toBe(0);
    expect(logFields(new Headers(), "1234", "GET", 304)).toEqual({
      bytes: 0,
      referer: undefined,
      userAgent: undefined,
    });
    expect(logFields(new Headers(), null, "GET", 200).bytes).toBeUndefined();
  });

  it("reads the Referer and User-Agent as UTF-8 where their bytes are, and keeps other bytes as they came", () => {
    // Runtimes hand header bytes over as Latin-1, one character a byte: UTF-8 "é ✓" arrives as "Ã© â\x9c\x93".
    const latin1 = (text: string): string => String.fromCharCode(...new TextEncoder().encode(text));
    const headers = new Headers({ referer: latin1("https://example.com/café"), "user-agent": latin1("agent é ✓") });
    expect(logFields(headers, null, "GET", 200)).toMatchObject({
      referer: "https://example.com/café",
      userAgent: "agent é ✓",
    });
    // A lone 0xE9 (Latin-1 é) is no UTF-8: kept, one character a byte; a leading BOM is text, kept.
    const kept = new Headers({ referer: "http://x/\xe9", "user-agent": latin1("\ufeffbot") });
    expect(logFields(kept, null, "GET", 200)).toMatchObject({ referer: "http://x/\xe9", userAgent: "\ufeffbot" });
  });
});
