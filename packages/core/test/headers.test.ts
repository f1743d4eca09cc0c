import { describe, expect, it } from "vitest";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.js";

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const fs = memoryFileSystem(
  {
    "hello.txt": "hello world\n",
    "app.js": "x".repeat(50),
    "app.js.br": "b",
    "docs/a.txt": "a",
    "site/index.html": "<p>i</p>",
  },
  { mtime: MTIME },
);
const make = (options: Omit<HandlerOptions, "fs">) => {
  const handler = createHandler({ fs, ...options });
  return (path: string, headers: Record<string, string> = {}, method = "GET") =>
    handler(new Request(`http://localhost${path}`, { method, headers }));
};
const list = (value: string | null) => (value ?? "").split(",").map((s) => s.trim().toLowerCase());
const plain = make({});

/** One response of each kind the handler gives, for headers that must be on all of them. */
async function everyKind(serve: ReturnType<typeof make>): Promise<Map<string, Response>> {
  const etag = (await serve("/hello.txt")).headers.get("etag") ?? "";
  const kinds: [string, Promise<Response>][] = [
    ["file 200", serve("/hello.txt")],
    ["file HEAD", serve("/hello.txt", {}, "HEAD")],
    ["index file", serve("/site/")],
    ["206", serve("/hello.txt", { range: "bytes=0-1" })],
    ["304", serve("/hello.txt", { "if-none-match": etag })],
    ["412", serve("/hello.txt", { "if-match": '"nope"' })],
    ["416", serve("/hello.txt", { range: "bytes=100-200" })],
    ["listing", serve("/docs/")],
    ["301", serve("/docs")],
    ["404", serve("/missing.txt")],
    ["405", serve("/hello.txt", {}, "POST")],
    ["OPTIONS", serve("/hello.txt", {}, "OPTIONS")],
  ];
  return new Map(await Promise.all(kinds.map(async ([name, response]) => [name, await response] as const)));
}

describe("option cacheControl (§5.2 of RFC 9111)", () => {
  it("sends no Cache-Control by default", async () => {
    for (const [kind, response] of await everyKind(plain))
      expect(response.headers.has("cache-control"), kind).toBe(false);
  });

  it("sends a string value as is", async () => {
    expect((await make({ cacheControl: "no-cache" })("/hello.txt")).headers.get("cache-control")).toBe("no-cache");
  });

  it("builds public, max-age=N, immutable from { maxAge, immutable }", async () => {
    const serve = make({ cacheControl: { maxAge: 31536000, immutable: true } });
    expect((await serve("/hello.txt")).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const short = make({ cacheControl: { maxAge: 60 } });
    expect((await short("/hello.txt")).headers.get("cache-control")).toBe("public, max-age=60");
  });

  it("§15.4.5 sends Cache-Control on the 200, the 206 and the 304 of a file", async () => {
    const serve = make({ cacheControl: { maxAge: 600, immutable: true } });
    const kinds = await everyKind(serve);
    for (const kind of ["file 200", "file HEAD", "index file", "206", "304"]) {
      expect(kinds.get(kind)?.headers.get("cache-control"), kind).toBe("public, max-age=600, immutable");
    }
  });

  it("§5.5 throws at createHandler() for a Cache-Control string with CR or LF", () => {
    expect(() => createHandler({ fs, cacheControl: "max-age=1\r\nx-injected: 1" })).toThrow(TypeError);
  });
});

describe("option headers", () => {
  it("adds the headers to every response: file, 206, 304, listing, redirect, errors, OPTIONS", async () => {
    for (const headers of [
      { "x-frame-options": "DENY", "X-Custom": "1" },
      [
        ["x-frame-options", "DENY"],
        ["X-Custom", "1"],
      ] as const,
    ]) {
      for (const [kind, response] of await everyKind(make({ headers }))) {
        expect(response.headers.get("x-frame-options"), kind).toBe("DENY");
        expect(response.headers.get("x-custom"), kind).toBe("1");
      }
    }
  });

  it("§5.1 throws at createHandler() for an invalid header name", () => {
    for (const name of ["bad name", "", "x:y", "naïve", "x\r\n"]) {
      expect(() => createHandler({ fs, headers: { [name]: "v" } }), JSON.stringify(name)).toThrow(TypeError);
    }
  });

  it("§5.5 throws at createHandler() for a value with CR, LF or NUL", () => {
    for (const value of ["a\r\nb", "a\nb", "a\rb", "a\0b"]) {
      expect(() => createHandler({ fs, headers: { "x-test": value } }), JSON.stringify(value)).toThrow(TypeError);
      expect(() => createHandler({ fs, headers: [["x-test", value]] }), JSON.stringify(value)).toThrow(TypeError);
    }
  });
});

describe("option cors (Fetch standard §3.2)", () => {
  const preflightHeaders = {
    origin: "https://app.example",
    "access-control-request-method": "GET",
    "access-control-request-headers": "range",
  };

  it("sends no CORS header at all without the option, not even to a preflight", async () => {
    const responses = [...(await everyKind(plain)).values(), await plain("/hello.txt", preflightHeaders, "OPTIONS")];
    for (const response of responses) {
      for (const name of response.headers.keys()) expect(name).not.toMatch(/^access-control-/);
    }
  });

  it("sends Access-Control-Allow-Origin: * everywhere, exposing Content-Range, Accept-Ranges and ETag", async () => {
    for (const [kind, response] of await everyKind(make({ cors: true }))) {
      expect(response.headers.get("access-control-allow-origin"), kind).toBe("*");
      const exposed = list(response.headers.get("access-control-expose-headers"));
      for (const name of ["content-range", "accept-ranges", "etag"]) expect(exposed, kind).toContain(name);
    }
  });

  it("sends a named origin with Vary: Origin, alongside Vary: Accept-Encoding", async () => {
    const serve = make({ cors: { origin: "https://app.example" }, precompressed: true });
    const file = await serve("/hello.txt", { origin: "https://app.example" });
    expect(file.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(list(file.headers.get("vary"))).toContain("origin");
    const negotiated = await serve("/app.js", { origin: "https://app.example", "accept-encoding": "br" });
    expect(list(negotiated.headers.get("vary"))).toEqual(expect.arrayContaining(["origin", "accept-encoding"]));
  });

  it("answers a preflight OPTIONS with 204, the allowed methods and headers, and Access-Control-Max-Age", async () => {
    const response = await make({ cors: true })("/hello.txt", preflightHeaders, "OPTIONS");
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(list(response.headers.get("access-control-allow-methods"))).toEqual(expect.arrayContaining(["get", "head"]));
    expect(list(response.headers.get("access-control-allow-headers"))).toEqual(
      expect.arrayContaining(["range", "if-none-match", "if-match", "if-modified-since", "if-range"]),
    );
    expect(response.headers.get("access-control-max-age")).toBe("86400");
  });

  it("allows Authorization in a preflight only when the server asks for a password (Fetch §3.2.3)", async () => {
    const auth = { users: [{ user: "ana", password: "s3cret" }] };
    const withPassword = await make({ cors: true, auth })("/hello.txt", preflightHeaders, "OPTIONS");
    expect(withPassword.status).toBe(204);
    expect(list(withPassword.headers.get("access-control-allow-headers"))).toContain("authorization");
    const open = await make({ cors: true })("/hello.txt", preflightHeaders, "OPTIONS");
    expect(list(open.headers.get("access-control-allow-headers"))).not.toContain("authorization");
  });

  it("uses the maxAge it is given for Access-Control-Max-Age", async () => {
    const response = await make({ cors: { maxAge: 600 } })("/hello.txt", preflightHeaders, "OPTIONS");
    expect(response.headers.get("access-control-max-age")).toBe("600");
  });

  it("answers a plain OPTIONS (not a preflight) without the preflight headers", async () => {
    const response = await make({ cors: true })("/hello.txt", {}, "OPTIONS");
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND");
    expect(response.headers.has("access-control-allow-methods")).toBe(false);
  });

  it("throws at createHandler() for an origin with CR or LF", () => {
    expect(() => createHandler({ fs, cors: { origin: "https://a.example\r\nx: y" } })).toThrow(TypeError);
  });
});
