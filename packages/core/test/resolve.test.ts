import { describe, expect, it } from "vitest";
import { isVisible, resolvePath } from "../src/resolve.js";

describe("resolvePath()", () => {
  it("splits, then decodes each segment once", () => {
    expect(resolvePath("/docs/a%20b.txt", false)).toEqual({ segments: ["docs", "a b.txt"], path: "docs/a b.txt", trailingSlash: false });
    expect(resolvePath("/%252e%252e/x", false)).toEqual({ segments: ["%2e%2e", "x"], path: "%2e%2e/x", trailingSlash: false });
  });

  it("marks the slash form", () => {
    expect(resolvePath("/", false)).toEqual({ segments: [], path: "", trailingSlash: true });
    expect(resolvePath("/docs/", false)).toMatchObject({ path: "docs", trailingSlash: true });
  });

  it("drops empty segments, so // runs cannot change the root", () => {
    expect(resolvePath("//etc//passwd", false)).toMatchObject({ segments: ["etc", "passwd"], path: "etc/passwd" });
  });

  it.each([
    "/../secret",
    "/docs/../../secret",
    "/%2e%2e/secret",
    "/%2E%2e/secret",
    "/%2e./secret",
    "/.%2E/secret",
    "/./x",
    "/%2e/x",
    "/..%2fsecret",
    "/..%2Fsecret",
    "/%2fetc/passwd",
    "/a%5c..%5csecret",
    "/a\\..\\secret",
    "/%00",
    "/x%00.txt",
  ])("refuses %s with 400", (path) => {
    expect(resolvePath(path, false)).toBe(400);
  });

  it.each(["/%", "/%zz", "/%E0%A4%A", "/%C3"])("refuses the malformed escape %s with 400", (path) => {
    expect(resolvePath(path, false)).toBe(400);
  });

  it.each(["/.env", "/.git/config", "/docs/.hidden", "/.well-known/.env", "/a/.well-known/x"])("hides %s with 404", (path) => {
    expect(resolvePath(path, false)).toBe(404);
  });

  it("lets /.well-known/ through", () => {
    expect(resolvePath("/.well-known/security.txt", false)).toMatchObject({ path: ".well-known/security.txt" });
  });

  it("lets dot segments through when dotfiles are allowed, but never . or ..", () => {
    expect(resolvePath("/.env", true)).toMatchObject({ path: ".env" });
    expect(resolvePath("/%2e%2e/x", true)).toBe(400);
  });
});

describe("isVisible()", () => {
  it("hides dot names except the root's .well-known", () => {
    expect(isVisible("a.txt", false, false)).toBe(true);
    expect(isVisible(".env", true, false)).toBe(false);
    expect(isVisible(".well-known", true, false)).toBe(true);
    expect(isVisible(".well-known", false, false)).toBe(false);
    expect(isVisible(".env", true, true)).toBe(true);
  });
});
