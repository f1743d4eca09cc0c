/**
 * Every mistake on the command line is one line of ours, `simplehttp: error: …`, exit code 2, on
 * every runtime; what the user typed is quoted escaped, so no value can break the line in two.
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { quoted } from "../src/errors.js";
import { expectUsageError, killAll, RUNTIME_NAMES, run, tempSite } from "./run.ts";

let site: ReturnType<typeof tempSite>;
beforeAll(() => (site = tempSite({ "a.txt": "hello\n" })));
afterEach(killAll);
afterAll(() => site?.remove());

describe("quoted()", () => {
  it("writes line breaks, tabs and escapes as JSON does, and a quote or backslash with a backslash", () => {
    expect(quoted("X-A: 1\nX-B: 2")).toBe(String.raw`'X-A: 1\nX-B: 2'`);
    expect(quoted("a\r\tb\x1b[31m")).toBe(String.raw`'a\r\tb\u001b[31m'`);
    expect(quoted(String.raw`it's C:\x`)).toBe(String.raw`'it\'s C:\\x'`);
  });

  it("escapes DEL, C1 controls, line separators and bidirectional controls; keeps other text", () => {
    expect(quoted("\x7f\x85\u2028\u202e\u2066")).toBe(String.raw`'\u007f\u0085\u2028\u202e\u2066'`);
    expect(quoted("zoë/日本/🙂")).toBe("'zoë/日本/🙂'");
  });
});

describe("a value holding a line break stays on one line, escaped", () => {
  const cases: [name: string, args: () => string[], says: string][] = [
    ["a header", () => ["-H", "X-A: 1\nX-B: 2"], String.raw`invalid --header 'X-A: 1\nX-B: 2'`],
    ["a port", () => ["80\n80"], String.raw`invalid port '80\n80'`],
    ["a --log-format", () => ["--log-format", "json\n"], String.raw`invalid --log-format 'json\n'`],
    ["a --cache", () => ["--cache", "max-age=1\nx"], String.raw`invalid --cache 'max-age=1\nx'`],
    ["a directory", () => ["0", "-d", join(site.dir, "no\nsuch")], String.raw`no\nsuch'`],
    ["an --auth-file", () => ["0", "-d", site.dir, "--auth-file", "users\n.txt"], String.raw`'users\n.txt'`],
    ["a --tls-cert", () => ["0", "-d", site.dir, "--tls-cert", "c\n.pem", "--tls-key", "k.pem"], String.raw`'c\n.pem'`],
  ];

  it.each(cases)("%s", async (_name, args, says) => {
    const line = await expectUsageError(run(["--bind", "127.0.0.1", ...args()]), /./);
    expect(line).toContain(says);
  });

  it.each(RUNTIME_NAMES)("on %s too", async (runtime) => {
    const line = await expectUsageError(run(["-H", "X-A: 1\r\nX-B: 2"], { runtime }), /./);
    expect(line).toBe(String.raw`simplehttp: error: invalid --header 'X-A: 1\r\nX-B: 2': expected 'Name: value'`);
  });
});
