import { describe, expect, it } from "vitest";
import { contentType, contentTypeTable } from "../src/http/content-type.js";
import { createHandler, type FileSystem, type HandlerOptions, memoryFileSystem } from "../src/index.js";

describe("contentType() with a table of suffixes", () => {
  const table = contentTypeTable({
    ".md": "text/markdown",
    ".GZ": "application/x-gzip",
    ".tar.gz": "application/x-gtar",
    ".txt": "text/plain; charset=iso-8859-1",
    ".wasm": "application/wasm",
    "": "text/plain",
  });

  it("matches the suffix whatever its case, the longest first", () => {
    expect(contentType("notes.md", table)).toBe("text/markdown; charset=utf-8");
    expect(contentType("NOTES.MD", table)).toBe("text/markdown; charset=utf-8");
    expect(contentType("logs.gz", table)).toBe("application/x-gzip");
    expect(contentType("site.tar.gz", table)).toBe("application/x-gtar");
  });

  it("adds UTF-8 to text without parameters, as the standard table does, and keeps parameters as written", () => {
    expect(contentType("a.txt", table)).toBe("text/plain; charset=iso-8859-1");
    expect(contentType("a.wasm", table)).toBe("application/wasm");
  });

  it('falls back to the standard table, then to the "" type for names it does not know', () => {
    expect(contentType("index.html", table)).toBe("text/html; charset=utf-8");
    expect(contentType("README", table)).toBe("text/plain; charset=utf-8");
    expect(contentType("data.unknown-ext", table)).toBe("text/plain; charset=utf-8");
    // A name that only starts with a dot has no extension (Python's splitext): not ".md" itself.
    expect(contentType(".md", table)).toBe("text/plain; charset=utf-8");
  });

  it("without a table, is the standard table with application/octet-stream", () => {
    expect(contentType("README")).toBe("application/octet-stream");
    expect(contentType("notes.md")).toBe("text/markdown; charset=utf-8");
    expect(contentTypeTable(undefined)).toEqual(contentTypeTable({}));
  });
});

describe("the contentTypes option, checked at construction", () => {
  const fs = memoryFileSystem({ "a.txt": "a" });

  it.each([
    [{ md: "text/markdown" }, /invalid contentTypes suffix: "md" \(expected e\.g\. "\.md"/],
    [{ ".a/b": "text/plain" }, /invalid contentTypes suffix: "\.a\/b"/],
    [{ ".": "text/plain" }, /invalid contentTypes suffix: "\."/],
    [{ ".x.": "text/plain" }, /invalid contentTypes suffix: "\.x\."/],
    [{ ".md": "markdown" }, /invalid content type for "\.md": "markdown"/],
    [{ ".md": "text/markdown\r\nx-evil: 1" }, /invalid content type for "\.md"/],
    [{ "": "text/plain; charset" }, /invalid content type for "": "text\/plain; charset"/],
    [{ ".MD": "text/markdown", ".md": "text/plain" }, /names the suffix "\.md" twice/],
  ])("%j is a TypeError naming it", (contentTypes, says) => {
    expect(() => createHandler({ fs, contentTypes })).toThrow(TypeError);
    expect(() => createHandler({ fs, contentTypes })).toThrow(says);
  });
});

describe("a handler's contentTypes", () => {
  const files = memoryFileSystem({ "notes.md": "# hi", Makefile: "all:", "404.html": "<p>lost</p>", "x.css": "a{}" });
  // A store that kept a Content-Type for one object: it wins over the table's guess.
  const stored: FileSystem = {
    ...files,
    stat: async (path) => {
      const stat = await files.stat(path);
      return stat !== null && path === "x.css" ? { ...stat, contentType: "text/x-stored" } : stat;
    },
  };
  const get = async (path: string, options: Partial<HandlerOptions> = {}) =>
    (await createHandler({ fs: files, ...options })(new Request(`http://localhost${path}`))).headers.get(
      "content-type",
    );
  const contentTypes = { ".md": "text/x-markdown", ".html": "text/html; charset=iso-8859-1", "": "text/plain" };

  it("type files, the default for the unknown, and the site's 404 page", async () => {
    expect(await get("/notes.md", { contentTypes })).toBe("text/x-markdown; charset=utf-8");
    expect(await get("/Makefile", { contentTypes })).toBe("text/plain; charset=utf-8");
    expect(await get("/missing", { contentTypes })).toBe("text/html; charset=iso-8859-1");
    expect(await get("/Makefile")).toBe("application/octet-stream");
  });

  it("never override a type the store kept for the object", async () => {
    const handler = createHandler({ fs: stored, contentTypes: { ".css": "text/plain" } });
    const response = await handler(new Request("http://localhost/x.css"));
    expect(response.headers.get("content-type")).toBe("text/x-stored");
  });
});
