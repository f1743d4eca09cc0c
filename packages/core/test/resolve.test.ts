import { describe, expect, it } from "vitest";
import { isVisible, resolvePath } from "../src/fs/resolve.js";

describe("resolvePath()", () => {
  it("splits, then decodes each segment once", () => {
    expect(resolvePath("/docs/a%20b.txt", "ignore")).toEqual({
      segments: ["docs", "a b.txt"],
      path: "docs/a b.txt",
      trailingSlash: false,
    });
    expect(resolvePath("/%252e%252e/x", "ignore")).toEqual({
      segments: ["%2e%2e", "x"],
      path: "%2e%2e/x",
      trailingSlash: false,
    });
  });

  it("marks the slash form", () => {
    expect(resolvePath("/", "ignore")).toEqual({ segments: [], path: "", trailingSlash: true });
    expect(resolvePath("/docs/", "ignore")).toMatchObject({ path: "docs", trailingSlash: true });
  });

  it("drops empty segments, so // runs cannot change the root", () => {
    expect(resolvePath("//etc//passwd", "ignore")).toMatchObject({ segments: ["etc", "passwd"], path: "etc/passwd" });
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
    expect(resolvePath(path, "ignore")).toBe(400);
  });

  it("decodes bytes that are not UTF-8 to the name made of them (U+DC80–U+DCFF), not a 400", () => {
    expect(resolvePath("/inv%FFalid.txt", "ignore")).toMatchObject({ segments: ["inv\uDCFFalid.txt"] });
    expect(resolvePath("/%C3", "ignore")).toMatchObject({ segments: ["\uDCC3"] });
    // The UTF-8 of a surrogate is not UTF-8: three bytes, never the escape of one byte.
    expect(resolvePath("/%ED%B3%BF", "ignore")).toMatchObject({ segments: ["\uDCED\uDCB3\uDCBF"] });
    // The segment checks hold next to such bytes: `..`, `/`, NUL and `\` are refused as ever.
    for (const path of ["/%FF/%2e%2e/x", "/%FF%2f", "/%FF%00", "/%FF%5c"])
      expect(resolvePath(path, "ignore"), path).toBe(400);
    expect(resolvePath("/%FF%2e%2e", "ignore")).toMatchObject({ segments: ["\uDCFF.."] });
  });

  it.each(["/%", "/%zz", "/%E0%A4%A", "/%FF%zz", "/%FF%4"])("refuses the malformed escape %s with 400", (path) => {
    expect(resolvePath(path, "ignore")).toBe(400);
  });

  it.each(["/.env", "/.git/config", "/docs/.hidden", "/.well-known/.env", "/a/.well-known/x"])(
    "hides %s with 404",
    (path) => {
      expect(resolvePath(path, "ignore")).toBe(404);
    },
  );

  it("answers 403 for dotfiles under the deny policy, after checking every segment", () => {
    expect(resolvePath("/.env", "deny")).toBe(403);
    expect(resolvePath("/.git/config", "deny")).toBe(403);
    expect(resolvePath("/.git/%zz", "deny")).toBe(400);
    expect(resolvePath("/.well-known/x", "deny")).toMatchObject({ path: ".well-known/x" });
  });

  it("lets /.well-known/ through", () => {
    expect(resolvePath("/.well-known/security.txt", "ignore")).toMatchObject({ path: ".well-known/security.txt" });
  });

  it("lets dot segments through when dotfiles are allowed, but never . or ..", () => {
    expect(resolvePath("/.env", "allow")).toMatchObject({ path: ".env" });
    expect(resolvePath("/%2e%2e/x", "allow")).toBe(400);
  });
});

describe("isVisible()", () => {
  it("hides dot names except the root's .well-known", () => {
    expect(isVisible("a.txt", false, "ignore")).toBe(true);
    expect(isVisible(".env", true, "ignore")).toBe(false);
    expect(isVisible(".well-known", true, "ignore")).toBe(true);
    expect(isVisible(".well-known", false, "ignore")).toBe(false);
    expect(isVisible(".env", true, "allow")).toBe(true);
    expect(isVisible(".env", true, "deny")).toBe(false);
  });
});
