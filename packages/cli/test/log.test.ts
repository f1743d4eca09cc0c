import { connect } from "node:net";
import type { AccessLogEntry } from "@simplehttp/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  accessLogFormatter,
  apacheTime,
  escapeLogText,
  formatCombined,
  formatCommon,
  formatJson,
  formatTerminal,
} from "../src/log.js";
import { killAll, lines, plainEnv, RUNTIME_NAMES, type Run, startServing, stop, tempSite, waitUntil } from "./run.ts";

/** Apache's Common format, field by field; quoted fields allow only escaped quotes and backslashes. */
const QUOTED = String.raw`"((?:[^"\\]|\\["\\]|\\x[0-9a-f]{2})*)"`;
const COMMON = new RegExp(
  String.raw`^(\S+) (\S+) (\S+) \[(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\] ` +
    String.raw`${QUOTED} (\d{3}) (\d+|-)$`,
);
const COMBINED = new RegExp(`${COMMON.source.slice(0, -1)} ${QUOTED} ${QUOTED}$`);

const entry = (over: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  remoteAddress: "127.0.0.1",
  method: "GET",
  target: "/a.txt",
  httpVersion: "1.1",
  status: 200,
  time: new Date(2026, 10, 24, 12, 0, 5),
  durationMs: 1.25,
  bytes: 19,
  referer: "http://example.test/",
  userAgent: "test-agent/1.0",
  ...over,
});

describe("the formats, on entries", () => {
  it("Common: host, ident, user, [time zone], request, status, bytes", () => {
    const match = COMMON.exec(formatCommon(entry()));
    expect(match?.slice(1)).toEqual([
      "127.0.0.1",
      "-",
      "-",
      "24",
      "Nov",
      "2026",
      "12",
      "00",
      "05",
      apacheTime(entry().time).slice(-6, -1),
      "GET /a.txt HTTP/1.1",
      "200",
      "19",
    ]);
  });

  it("Common writes - for unknown bytes and for none sent, as Apache's %b", () => {
    expect(formatCommon(entry({ bytes: undefined }))).toMatch(/ 200 -$/);
    expect(formatCommon(entry({ bytes: 0, status: 304 }))).toMatch(/ 304 -$/);
  });

  it("Combined adds the referer and user agent, - when not sent", () => {
    expect(COMBINED.exec(formatCombined(entry()))?.slice(-2)).toEqual(["http://example.test/", "test-agent/1.0"]);
    expect(formatCombined(entry({ referer: undefined, userAgent: undefined }))).toMatch(/ "-" "-"$/);
  });

  it("the zone is the local offset from UTC, sign first", () => {
    const time = new Date(2026, 0, 1);
    const offset = -time.getTimezoneOffset();
    const zone =
      `${offset < 0 ? "-" : "+"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}` +
      `${String(Math.abs(offset) % 60).padStart(2, "0")}`;
    expect(apacheTime(time)).toBe(`[01/Jan/2026:00:00:00 ${zone}]`);
  });

  it("JSON has every field on every line, null when unknown, and an ISO time", () => {
    expect(JSON.parse(formatJson(entry({ referer: undefined, bytes: undefined, durationMs: 1.23456 })))).toEqual({
      time: entry().time.toISOString(),
      remoteAddress: "127.0.0.1",
      method: "GET",
      target: "/a.txt",
      httpVersion: "1.1",
      status: 200,
      bytes: null,
      referer: null,
      userAgent: "test-agent/1.0",
      durationMs: 1.235,
    });
  });

  it("no request can forge a line or a field: quotes, backslashes, CR, LF, ESC and non-ASCII are escaped", () => {
    const hostile = entry({
      target: '/x" 200 1\n127.0.0.1 - - [fake] "GET /',
      referer: 'a"b\\c\r\n',
      userAgent: "\x1b[31mred\x1b[0m \u00ff é\u2028",
    });
    for (const line of [formatCommon(hostile), formatCombined(hostile), formatTerminal(hostile, false)]) {
      expect(line).not.toMatch(/[\x00-\x1f\x7f-\uffff]/);
    }
    const match = COMBINED.exec(formatCombined(hostile));
    expect(match?.[11]).toBe(String.raw`GET /x\" 200 1\x0a127.0.0.1 - - [fake] \"GET / HTTP/1.1`);
    expect(match?.[14]).toBe(String.raw`a\"b\\c\x0d\x0a`);
    // The entry holds text: each character outside printable ASCII is written as its UTF-8 bytes.
    expect(match?.[15]).toBe(String.raw`\x1b[31mred\x1b[0m \xc3\xbf \xc3\xa9\xe2\x80\xa8`);
    const json = formatJson(hostile);
    expect(json).not.toMatch(/[\x00-\x1f]/);
    expect(JSON.parse(json)).toMatchObject({
      target: hostile.target,
      referer: hostile.referer,
      userAgent: hostile.userAgent,
    });
  });

  it("escapeLogText leaves printable ASCII alone", () => {
    expect(escapeLogText("/a-b_c.d?e=f&g=%20~")).toBe("/a-b_c.d?e=f&g=%20~");
  });

  it("the terminal line colours by status class and gives the time to the head", () => {
    const colours: [number, string][] = [
      [200, "32"],
      [304, "36"],
      [404, "33"],
      [503, "31"],
    ];
    for (const [status, code] of colours) {
      expect(formatTerminal(entry({ status }), true)).toContain(`\x1b[${code}mGET /a.txt ${status}\x1b[39m`);
    }
    expect(formatTerminal(entry({ durationMs: 1.25 }), false)).toBe("12:00:05 127.0.0.1 GET /a.txt 200 1.3 ms");
    expect(formatTerminal(entry({ durationMs: 42.4 }), false)).toMatch(/ 42 ms$/);
  });

  it("by default: the terminal line on a terminal or when colour is forced, else Python's", () => {
    expect(accessLogFormatter(undefined, false, false)(entry())).toMatch(
      /^127\.0\.0\.1 - - \[24\/Nov\/2026 12:00:05\] "GET \/a\.txt HTTP\/1\.1" 200 -$/,
    );
    expect(accessLogFormatter(undefined, true, false)(entry())).toBe("12:00:05 127.0.0.1 GET /a.txt 200 1.3 ms");
    expect(accessLogFormatter(undefined, false, true)(entry())).toContain("\x1b[32m");
    expect(accessLogFormatter("json", true, true)(entry())).toBe(formatJson(entry()));
  });
});

describe("--log-format, from the command", () => {
  let site: ReturnType<typeof tempSite>;
  beforeAll(() => (site = tempSite({ "a.txt": "nineteen bytes...\n\n" })));
  afterEach(killAll);
  afterAll(() => site?.remove());

  /** Sends raw requests on one connection and waits for the log to have `count` lines. */
  async function logged(running: Run, port: number, requests: string, count: number): Promise<string[]> {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.end(requests, "latin1"));
      socket
        .on("error", reject)
        .on("close", () => resolve())
        .resume();
      socket.setTimeout(5000, () => socket.destroy(new Error("no answer within 5 s")));
    });
    return waitUntil(
      running,
      () => (lines(running.stderr()).length >= count ? lines(running.stderr()) : undefined),
      5000,
      `${count} log lines`,
    );
  }

  const requests =
    'GET /a.txt?q="x" HTTP/1.1\r\nHost: h\r\nReferer: http://r.test/"p\r\nUser-Agent: agent "one" \xff\r\n\r\n' +
    "HEAD /a.txt HTTP/1.1\r\nHost: h\r\n\r\n" +
    "GET /missing HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";

  it("common: each field, in the zone of TZ", async () => {
    const { running, port } = await startServing(site.dir, ["--log-format", "common"], {
      env: plainEnv({ TZ: "Asia/Kathmandu" }),
    });
    const [get, head, missing] = (await logged(running, port, requests, 3)).map((line) => COMMON.exec(line)?.slice(1));
    expect(get).toEqual([
      "127.0.0.1",
      "-",
      "-",
      expect.stringMatching(/^\d\d$/),
      expect.stringMatching(/^[A-Z][a-z]{2}$/),
      expect.stringMatching(/^\d{4}$/),
      expect.stringMatching(/^\d\d$/),
      expect.stringMatching(/^\d\d$/),
      expect.stringMatching(/^\d\d$/),
      "+0545",
      'GET /a.txt?q=\\"x\\" HTTP/1.1',
      "200",
      "19",
    ]);
    expect(head?.slice(10)).toEqual(["HEAD /a.txt HTTP/1.1", "200", "-"]);
    expect(missing?.slice(10, 12)).toEqual(["GET /missing HTTP/1.1", "404"]);
    const [, , , day, month, year, hour, minute, second] = get ?? [];
    const at = new Date(`${day} ${month} ${year} ${hour}:${minute}:${second} GMT+0545`).getTime();
    expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
    await stop(running);
  });

  it("combined: Common's fields, then the referer and user agent, escaped", async () => {
    const { running, port } = await startServing(site.dir, ["--log-format", "combined"]);
    const [get, head] = (await logged(running, port, requests, 3)).map((line) => COMBINED.exec(line)?.slice(1));
    expect(get?.slice(10)).toEqual([
      'GET /a.txt?q=\\"x\\" HTTP/1.1',
      "200",
      "19",
      'http://r.test/\\"p',
      // 0xFF is no UTF-8: the entry keeps it as the character U+00FF, written as its UTF-8 bytes.
      'agent \\"one\\" \\xc3\\xbf',
    ]);
    expect(head?.slice(13)).toEqual(["-", "-"]);
    await stop(running);
  });

  it("json: one object a line with Combined's fields, the duration and an ISO time", async () => {
    const { running, port } = await startServing(site.dir, ["--log-format", "json"]);
    const sent = performance.now();
    const [get, head, missing] = (await logged(running, port, requests, 3)).map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    // The server times the request within the span from sending it to reading its log line.
    const span = performance.now() - sent;
    const { durationMs, ...fields } = get ?? {};
    expect(durationMs).toBeTypeOf("number");
    expect(durationMs).toBeGreaterThan(0);
    expect(durationMs).toBeLessThan(span);
    expect(fields).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      remoteAddress: "127.0.0.1",
      method: "GET",
      target: '/a.txt?q="x"',
      httpVersion: "1.1",
      status: 200,
      bytes: 19,
      referer: 'http://r.test/"p',
      userAgent: 'agent "one" \u00ff',
    });
    expect(Math.abs(Date.parse(String(get?.time)) - Date.now())).toBeLessThan(60_000);
    expect(head).toMatchObject({ method: "HEAD", bytes: 0, referer: null, userAgent: null });
    expect(missing).toMatchObject({ target: "/missing", status: 404 });
    await stop(running);
  });

  // A UTF-8 header arrives as Latin-1 (one character a byte) on every runtime; the core decodes it.
  const utf8Agent =
    "GET /a.txt HTTP/1.1\r\nHost: h\r\nUser-Agent: agent \xc3\xa9 \xe2\x9c\x93\r\nConnection: close\r\n\r\n";
  const backslash = "GET /docs\\guide.html HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";

  it.each(RUNTIME_NAMES)(
    "on %s, a UTF-8 User-Agent is text, and Python's line doubles a backslash",
    async (runtime) => {
      const json = await startServing(site.dir, ["--log-format", "json"], { runtime });
      const [decoded] = await logged(json.running, json.port, utf8Agent, 1);
      expect(JSON.parse(decoded ?? "")).toMatchObject({ userAgent: "agent é ✓" });
      await stop(json.running);
      const combined = await startServing(site.dir, ["--log-format", "combined"], { runtime });
      const [apache] = await logged(combined.running, combined.port, utf8Agent, 1);
      // Apache's form: the bytes the client sent, \xhh each.
      expect(apache).toMatch(/ "agent \\xc3\\xa9 \\xe2\\x9c\\x93"$/);
      await stop(combined.running);
      const python = await startServing(site.dir, ["--log-format", "python"], { runtime });
      const [line] = await logged(python.running, python.port, backslash, 1);
      expect(line).toMatch(/ "GET \/docs\\\\guide\.html HTTP\/1\.1" 400 -$/);
      await stop(python.running);
    },
  );

  it("python: Python's line, as off a terminal by default", async () => {
    const { running, port } = await startServing(site.dir, ["--log-format", "python"], {
      env: plainEnv({ FORCE_COLOR: "1" }),
    });
    const [get] = await logged(running, port, requests, 3);
    expect(get).toMatch(
      /^127\.0\.0\.1 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4} \d\d:\d\d:\d\d\] "GET \/a\.txt\?q="x" HTTP\/1\.1" 200 -$/,
    );
    await stop(running);
  });
});
