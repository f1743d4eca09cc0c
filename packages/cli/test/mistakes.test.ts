/**
 * Every mistake on the command line is one line of ours, `simplehttp: error: …`, exit code 2, on
 * every runtime; what the user typed is quoted escaped, so no value can break the line in two.
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../src/args.js";
import { parseBind } from "../src/bind.js";
import { quoted } from "../src/errors.js";
import { banner, expectUsageError, get, killAll, RUNTIME_NAMES, run, stop, tempSite } from "./run.ts";

let site: ReturnType<typeof tempSite>;
beforeAll(() => (site = tempSite({ "a.txt": "hello\n" })));
afterEach(killAll);
afterAll(() => site?.remove());

describe("each mistake parseArgs refuses, in our words, naming the option as typed", () => {
  const cases: [args: string[], says: string][] = [
    [["--frobnicate"], "unknown option --frobnicate (see simplehttp --help)"],
    [["--frob=1"], "unknown option --frob (see simplehttp --help)"],
    [["-x"], "unknown option -x (see simplehttp --help)"],
    [["-qx"], "unknown option -x in -qx (see simplehttp --help)"],
    [["--dir", "x"], "unknown option --dir (did you mean --directory? see simplehttp --help)"],
    [["--fro\nb"], String.raw`unknown option '--fro\nb' (see simplehttp --help)`],
    [["-1"], "invalid port '-1': expected a number from 0 to 65535"],
    [["-8080"], "invalid port '-8080': expected a number from 0 to 65535"],
    [["-d"], "-d needs a value (-d DIR)"],
    [["--directory"], "--directory needs a value (--directory DIR)"],
    [["-H"], "-H needs a value (-H 'K: V')"],
    [["--log-format"], "--log-format needs a value (--log-format FMT)"],
    [["-d", "--cors"], "-d needs a value (-d DIR); one that starts with - is written --directory=--cors"],
    [["--quiet=x"], "--quiet takes no value (write --quiet alone, not --quiet=x)"],
    [["--cors="], "--cors takes no value (write --cors alone, not --cors=)"],
    [["8000", "9000"], "unexpected argument '9000' after the port 8000 (a directory is given with -d DIR)"],
    [["public"], "invalid port 'public': expected a number from 0 to 65535 (a directory is given with -d DIR)"],
  ];

  it.each(cases)("%j", (args, says) => {
    expect(() => parseCommand(args)).toThrow(new Error(says));
  });

  it("accepts what looks like a mistake but is not: values after = or joined, a lone -, a port after --", () => {
    expect(parseCommand(["--directory=-x", "--header=-H: 1"])).toMatchObject({ directory: "-x" });
    expect(parseCommand(["-d-x"])).toMatchObject({ directory: "-x" });
    expect(parseCommand(["-d", "-"])).toMatchObject({ directory: "-" });
    expect(parseCommand(["--", "8080"])).toMatchObject({ port: 8080 });
  });

  // Each runtime's parseArgs has its own words (Bun's says 'x' for -x): ours are the same on all.
  it.each(RUNTIME_NAMES)("on %s, the same line for each", async (runtime) => {
    for (const [args, says] of cases.filter(([args]) =>
      ["--frobnicate", "-1", "-d", "-qx", "--quiet=x"].includes(args[0] ?? ""),
    )) {
      const line = await expectUsageError(run(args, { runtime }), /./);
      expect(line).toBe(`simplehttp: error: ${says}`);
    }
  });
});

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

describe("--bind", () => {
  it("takes an IP address (IPv6 in brackets or not, IPv4 in any form a URL takes) or a host name", () => {
    for (const [given, bound] of [
      ["127.0.0.1", "127.0.0.1"],
      ["[::1]", "::1"],
      ["::", "::"],
      ["127.1", "127.0.0.1"],
      ["0x7f.1", "127.0.0.1"],
      ["localhost", "localhost"],
      ["files.example.", "files.example."],
      ["my_box.lan", "my_box.lan"],
    ]) {
      expect(parseBind(given ?? ""), given).toBe(bound);
    }
  });

  it("refuses what is neither, naming it", () => {
    for (const given of ["999.1.1.1", "1.2.3.4.5", "256.0.0.1", "a b", "", "-x", "a..b", "bücher.example", "x\ny"]) {
      expect(() => parseBind(given), given).toThrow(
        new Error(`invalid --bind ${quoted(given)}: expected an IP address or a host name`),
      );
    }
  });

  const cases: [bind: string, says: string][] = [
    ["999.1.1.1", "invalid --bind '999.1.1.1': expected an IP address or a host name"],
    ["no-such-host.invalid", "cannot bind to 'no-such-host.invalid': no such host"],
    ["192.0.2.1", "cannot bind to '192.0.2.1': not an address of this machine"],
    ["fe80::1%nope", "cannot bind to 'fe80::1%nope': not an address of this machine (no network interface 'nope')"],
  ];

  // Each runtime refused these in its own words (Bun: "EINVAL: invalid argument, listen").
  it.each(RUNTIME_NAMES)("on %s, one line naming the address, the same on every runtime", async (runtime) => {
    for (const [bind, says] of cases) {
      const line = await expectUsageError(run(["0", "--bind", bind, "-d", site.dir], { runtime }), /./);
      expect(line).toBe(`simplehttp: error: ${says}`);
    }
  });

  it.each(RUNTIME_NAMES)("on %s, 127.1 is served on 127.0.0.1", async (runtime) => {
    const running = run(["0", "--bind", "127.1", "-d", site.dir, "-q"], { runtime });
    const { hostname, port } = await banner(running);
    expect(hostname).toBe("127.0.0.1");
    expect((await get(`http://127.0.0.1:${port}/a.txt`)).status).toBe(200);
    await stop(running);
  });
});
