import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.js";

const fs = memoryFileSystem({ "a.txt": "secret content" }, { mtime: 0 });
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const make = (options: Partial<HandlerOptions> = {}) => {
  const handler = createHandler({
    fs,
    auth: {
      users: [
        { user: "ana", password: "s3cret:with:colons" },
        { user: "jürgen", sha256: sha256("pässwörd") },
      ],
    },
    ...options,
  });
  return (path: string, headers: Record<string, string> = {}, method = "GET") =>
    handler(new Request(`http://localhost${path}`, { headers, method }));
};

describe("Basic authentication (RFC 7617)", () => {
  const get = make();

  it("answers a request without credentials with 401 and a UTF-8 challenge, and no content", async () => {
    const response = await get("/a.txt");
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="simplehttp", charset="UTF-8"');
    expect(await response.text()).not.toContain("secret content");
    expect((await get("/missing")).status).toBe(401); // nothing is looked up first
    expect((await get("/a.txt", {}, "POST")).status).toBe(401);
  });

  it("serves a user with the right password, colons in it included", async () => {
    const response = await get("/a.txt", { authorization: basic("ana", "s3cret:with:colons") });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("secret content");
  });

  it("takes UTF-8 names and passwords, and a password given as its SHA-256", async () => {
    expect((await get("/a.txt", { authorization: basic("jürgen", "pässwörd") })).status).toBe(200);
    expect((await get("/a.txt", { authorization: basic("jürgen", "passwoerd") })).status).toBe(401);
  });

  it("refuses wrong passwords, unknown users, other schemes and malformed credentials", async () => {
    for (const authorization of [
      basic("ana", "s3cret"),
      basic("bo", "s3cret:with:colons"),
      basic("ANA", "s3cret:with:colons"),
      "Bearer abc",
      "Basic !!!",
      `Basic ${Buffer.from("no-colon").toString("base64")}`,
      `Basic ${Buffer.from([0x61, 0x6e, 0x61, 0x3a, 0xff]).toString("base64")}`,
    ]) {
      expect((await get("/a.txt", { authorization })).status, authorization).toBe(401);
    }
  });

  it("answers a CORS preflight without credentials when CORS is on, and only then", async () => {
    const preflight = { origin: "https://app.example", "access-control-request-method": "GET" };
    expect((await make({ cors: true })("/a.txt", preflight, "OPTIONS")).status).toBe(204);
    expect((await make()("/a.txt", preflight, "OPTIONS")).status).toBe(401);
    expect((await make({ cors: true })("/a.txt", {}, "OPTIONS")).status).toBe(401);
  });

  it("names its realm, and refuses users it could never match at construction", () => {
    expect(() => make({ auth: { users: [] } })).toThrow(TypeError);
    expect(() => make({ auth: { users: [{ user: "", password: "x" }] } })).toThrow(TypeError);
    expect(() => make({ auth: { users: [{ user: "a:b", password: "x" }] } })).toThrow(TypeError);
    expect(() => make({ auth: { users: [{ user: "a", sha256: "abc" }] } })).toThrow(TypeError);
    expect(() => make({ auth: { users: [{ user: "a", password: "x" }], realm: 'a"b' } })).toThrow(TypeError);
  });

  it("uses the realm given", async () => {
    const response = await make({ auth: { users: [{ user: "a", password: "x" }], realm: "Team files" } })("/a.txt");
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="Team files", charset="UTF-8"');
  });
});
