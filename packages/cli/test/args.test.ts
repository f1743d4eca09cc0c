import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCommand, type ServeCommand, UsageError } from "../src/args.js";
import { parseAuthEntry } from "../src/auth-args.js";
import { quoted } from "../src/errors.js";
import { banner, expectUsageError, get, killAll, plainEnv, run, tempSite } from "./run.ts";

function serveCommand(argv: string[], env: NodeJS.ProcessEnv = {}): ServeCommand {
  const command = parseCommand(argv, env);
  if (command.kind !== "serve") throw new Error(`expected a serve command, got ${command.kind}`);
  return command;
}

describe("the port", () => {
  it("defaults to $PORT when set, else 8000; the argument wins over $PORT", () => {
    expect(serveCommand([]).port).toBe(8000);
    expect(serveCommand([], { PORT: "3000" }).port).toBe(3000);
    expect(serveCommand(["9000"], { PORT: "3000" }).port).toBe(9000);
    expect(serveCommand([], { PORT: "" }).port).toBe(8000);
  });

  it("rejects an invalid $PORT, naming it, but not when an argument overrides it", () => {
    expect(() => parseCommand([], { PORT: "http" })).toThrow(
      /^invalid \$PORT 'http': expected a number from 0 to 65535$/,
    );
    expect(() => parseCommand([], { PORT: "65536" })).toThrow(UsageError);
    expect(serveCommand(["0"], { PORT: "http" }).port).toBe(0);
  });
});

describe("--spa [FILE]", () => {
  it("alone means index.html (spa: true), and is off by default", () => {
    expect(serveCommand([]).spa).toBe(false);
    expect(serveCommand(["--spa"]).spa).toBe(true);
    expect(serveCommand(["--spa", "--cors"]).spa).toBe(true);
  });

  it("takes --spa=FILE, and the next argument unless it looks like a port or an option", () => {
    expect(serveCommand(["--spa=app.html"]).spa).toBe("app.html");
    expect(serveCommand(["--spa", "app.html", "8080"])).toMatchObject({ spa: "app.html", port: 8080 });
    expect(serveCommand(["--spa", "8080"])).toMatchObject({ spa: true, port: 8080 });
    expect(serveCommand(["8080", "--spa", "shell"])).toMatchObject({ spa: "shell", port: 8080 });
    expect(serveCommand(["--spa=8080"])).toMatchObject({ spa: "8080", port: 8000 });
  });

  it("is left alone as another option's value or after --", () => {
    expect(serveCommand(["-d", "x", "--spa"])).toMatchObject({ directory: "x", spa: true });
    expect(() => parseCommand(["--header", "--spa"])).toThrow(UsageError); // ambiguous, as for any option-like value
    expect(() => parseCommand(["--", "--spa"])).toThrow(/invalid port '--spa'/);
  });

  it("rejects an empty --spa=", () => {
    expect(() => parseCommand(["--spa="])).toThrow(/--spa= needs a FILE/);
  });
});

describe("--ext and --no-404-page", () => {
  it("collects extensions in order, without their dots", () => {
    expect(serveCommand(["--ext", "html", "--ext", ".htm"]).extensions).toEqual(["html", "htm"]);
    expect(serveCommand([]).extensions).toEqual([]);
  });

  it("rejects an extension holding a separator", () => {
    expect(() => parseCommand(["--ext", "../x"])).toThrow(/invalid --ext '\.\.\/x'/);
    expect(() => parseCommand(["--ext", "."])).toThrow(UsageError);
  });

  it("--no-404-page turns the site's 404.html off", () => {
    expect(serveCommand([]).notFoundPage).toBe(true);
    expect(serveCommand(["--no-404-page"]).notFoundPage).toBe(false);
  });

  it("--no-site-rules turns the site's _redirects and _headers off", () => {
    expect(serveCommand([]).siteRules).toBe(true);
    expect(serveCommand(["--no-site-rules"]).siteRules).toBe(false);
  });
});

describe("--mime", () => {
  it("collects suffix → type, the dot optional, case folded, the later winning; =TYPE for the rest", () => {
    expect(serveCommand([]).contentTypes).toBeUndefined();
    expect(
      serveCommand(["--mime", ".md=text/markdown", "--mime", "log=text/plain", "--mime", "=text/plain"]).contentTypes,
    ).toEqual({ ".md": "text/markdown", ".log": "text/plain", "": "text/plain" });
    expect(serveCommand(["--mime", ".md=text/markdown", "--mime", ".MD=text/x-md"]).contentTypes).toEqual({
      ".md": "text/x-md",
    });
    expect(serveCommand(["--mime", ".tar.gz=application/x-gtar"]).contentTypes).toEqual({
      ".tar.gz": "application/x-gtar",
    });
  });

  it("refuses what is not .EXT=TYPE, with one line naming it", () => {
    for (const text of ["md", ".md=markdown", ".a/b=text/plain", ".md=", "..=text/plain", ".md=text/plain\nX: 1"]) {
      expect(() => parseCommand(["--mime", text]), text).toThrow(
        new Error(`invalid --mime ${quoted(text)}: expected .EXT=TYPE, such as .md=text/markdown`),
      );
    }
    expect(() => parseCommand(["--mime"])).toThrow(new Error("--mime needs a value (--mime .EXT=TYPE)"));
  });
});

describe("--auth entries", () => {
  it("split on the first colon, so passwords may hold colons; user names may be UTF-8", () => {
    expect(parseAuthEntry("ana:pa:ss:word")).toEqual({ user: "ana", password: "pa:ss:word" });
    expect(parseAuthEntry("zoë:mot de passe")).toEqual({ user: "zoë", password: "mot de passe" });
  });

  it("read user:sha256:HEX (64 hex digits) as a hashed password", () => {
    const hex = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
    expect(parseAuthEntry(`bo:sha256:${hex}`)).toEqual({ user: "bo", sha256: hex.toLowerCase() });
    expect(parseAuthEntry("bo:sha256:abc")).toEqual({ problem: expect.stringMatching(/64 hex digits/) });
  });

  it("refuse an empty user or password, a missing colon and control characters, never quoting the password", () => {
    for (const [text, problem] of [
      [":secret", /user name is empty/],
      ["ana:", /empty password/],
      ["anasecret", /expected USER:PASSWORD/],
      ["ana:sec\x07ret", /control character/],
    ] as const) {
      const entry = parseAuthEntry(text);
      expect(entry, text).toEqual({ problem: expect.stringMatching(problem) });
      expect(JSON.stringify(entry)).not.toContain("secret");
    }
  });

  it("are repeatable, and a bad one is named by its position", () => {
    expect(serveCommand(["--auth", "a:1", "--auth", "b:2"]).auth).toEqual([
      { user: "a", password: "1" },
      { user: "b", password: "2" },
    ]);
    expect(() => parseCommand(["--auth", "a:1", "--auth", ":2"])).toThrow(
      /^invalid --auth #2: the user name is empty$/,
    );
  });
});

describe("--watch", () => {
  it("is off by default and turns live reload on", () => {
    expect(serveCommand([]).watch).toBe(false);
    expect(serveCommand(["--watch", "8080"])).toMatchObject({ watch: true, port: 8080 });
  });
});

describe("TLS flags", () => {
  it("take --tls-cert with --tls-key, or --tls alone", () => {
    expect(serveCommand(["--tls-cert", "c.pem", "--tls-key", "k.pem"]).tls).toEqual({ cert: "c.pem", key: "k.pem" });
    expect(serveCommand(["--tls"]).tls).toBe("self-signed");
    expect(serveCommand([]).tls).toBeUndefined();
  });

  it("refuse --tls together with --tls-cert or --tls-key: one certificate, never one silently", () => {
    const says = "--tls makes a certificate and --tls-cert gives one: use one or the other";
    expect(() => parseCommand(["--tls", "--tls-cert", "c.pem", "--tls-key", "k.pem"])).toThrow(new Error(says));
    expect(() => parseCommand(["--tls-cert", "c.pem", "--tls", "--tls-key", "k.pem"])).toThrow(new Error(says));
    expect(() => parseCommand(["--tls", "--tls-key", "k.pem"])).toThrow(new Error(says));
  });

  it("refuse one file without the other", () => {
    expect(() => parseCommand(["--tls-cert", "c.pem"])).toThrow(/--tls-cert needs --tls-key/);
    expect(() => parseCommand(["--tls-key", "k.pem"])).toThrow(/--tls-key needs --tls-cert/);
  });
});

describe("usage errors of the new flags, from the command", () => {
  let site: ReturnType<typeof tempSite>;
  beforeAll(() => {
    site = tempSite({
      "users.txt": "# team\n\nana:one\nbo:two:with:colons\r\n:nobody\n",
      "cert.pem": "not a certificate\n",
      "key.pem": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    });
  });
  afterEach(killAll);
  afterAll(() => site?.remove());

  const base = (): string[] => ["0", "--bind", "127.0.0.1", "--directory", site.dir];
  const cases: [name: string, args: () => string[], says: RegExp, env?: NodeJS.ProcessEnv][] = [
    [
      "--watch with a bucket",
      () => ["s3://site", "0", "--watch"],
      /^simplehttp: error: --watch applies to a directory/,
    ],
    [
      "an invalid $PORT",
      () => ["--bind", "127.0.0.1", "--directory", site.dir],
      /^simplehttp: error: invalid \$PORT 'eighty'/,
      { PORT: "eighty" },
    ],
    [
      "an unknown --log-format",
      () => ["--log-format", "xml"],
      /invalid --log-format 'xml': expected python, common, combined, json/,
    ],
    ["an --auth without a user", () => ["--auth", ":hunter2"], /invalid --auth: the user name is empty$/],
    [
      "an --auth-file that does not exist",
      () => [...base(), "--auth-file", join(site.dir, "nope.txt")],
      /cannot read --auth-file '.*nope\.txt': no such file$/,
    ],
    [
      "an --auth-file with an empty user, by line number",
      () => [...base(), "--auth-file", join(site.dir, "users.txt")],
      /--auth-file '.*users\.txt' line 5: the user name is empty$/,
    ],
    ["--tls-key without --tls-cert", () => [...base(), "--tls-key", "k.pem"], /--tls-key needs --tls-cert/],
    [
      "--tls with --tls-cert",
      () => [...base(), "--tls", "--tls-cert", "c.pem", "--tls-key", "k.pem"],
      /^simplehttp: error: --tls makes a certificate and --tls-cert gives one: use one or the other$/,
    ],
    [
      "a --tls-cert that does not exist",
      () => [...base(), "--tls-cert", join(site.dir, "no.pem"), "--tls-key", join(site.dir, "key.pem")],
      /cannot read --tls-cert '.*no\.pem': no such file$/,
    ],
    [
      "a --tls-cert that is not PEM",
      () => [...base(), "--tls-cert", join(site.dir, "cert.pem"), "--tls-key", join(site.dir, "key.pem")],
      /--tls-cert '.*cert\.pem' is not a PEM certificate/,
    ],
    ["an --ext with a slash", () => ["--ext", "a/b"], /invalid --ext 'a\/b'/],
  ];

  it.each(cases)("exit 2 with one line for %s", async (_name, args, says, env) => {
    const running = run(args(), { env: plainEnv(env) });
    const line = await expectUsageError(running, says);
    expect(line).not.toContain("hunter2");
  });

  it("an --auth-file's lines are read after comments, blank lines and CRLF ends", async () => {
    writeFileSync(join(site.dir, "good.txt"), "\ufeff# users\n\nana:one\r\nbo:two:with:colons\n");
    const running = run([...base(), "--auth-file", join(site.dir, "good.txt"), "--quiet"]);
    const { port } = await banner(running);
    const basic = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials).toString("base64")}` });
    expect((await get(`http://127.0.0.1:${port}/`)).status).toBe(401);
    expect((await get(`http://127.0.0.1:${port}/`, { headers: basic("ana:one") })).status).toBe(200);
    expect((await get(`http://127.0.0.1:${port}/`, { headers: basic("bo:two:with:colons") })).status).toBe(200);
    expect((await get(`http://127.0.0.1:${port}/`, { headers: basic("bo:two") })).status).toBe(401);
  });
});
