import { describe, expect, it, vi } from "vitest";
import { listedEntries, listedLabels } from "../../../test/support/listing.ts";
import { createHandler, type FileSystem, memoryFileSystem, statusForError, VERSION } from "../src/index.js";

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";

const files = {
  "hello.txt": "hello world\n",
  "page.html": "<p>hi</p>",
  "data.json": "{}",
  "app.js": "export {}",
  "module.wasm": new Uint8Array([0, 97, 115, 109]),
  README: "no extension",
  "blob.unknownext": "?",
  "empty.txt": "",
  "site/index.html": "<h1>site</h1>",
  "site/index.htm": "<h1>shadowed</h1>",
  "legacy/index.htm": "<h1>legacy</h1>",
  "docs/guide.txt": "guide",
  "docs/sub/deep.txt": "deep",
  "docs/a b.txt": "space",
  "docs/x#y?z%&<w>.txt": "odd",
  "docs/naïve 日本.txt": "unicode",
  "docs/.hidden": "hidden",
  "empty/": "",
  ".env": "SECRET=1",
  ".git/config": "[core]",
  ".well-known/security.txt": "Contact: mailto:a@b.c",
  ".well-known/.secret": "nope",
};

const fs = memoryFileSystem(files, { mtime: MTIME });
const handler = createHandler({ fs });
const get = (path: string, init?: RequestInit) => handler(new Request(`http://localhost${path}`, init));

describe("GET and HEAD", () => {
  it("serves a file's bytes with Content-Type, Content-Length and Last-Modified", async () => {
    const response = await get("/hello.txt");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("hello world\n");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-length")).toBe("12");
    expect(response.headers.get("last-modified")).toBe(LAST_MODIFIED);
  });

  it("HEAD sends the same status and headers as GET and no body", async () => {
    for (const path of ["/hello.txt", "/docs/", "/missing", "/docs", "/site/"]) {
      const [full, head] = await Promise.all([get(path), get(path, { method: "HEAD" })]);
      expect(head.status).toBe(full.status);
      expect([...head.headers]).toEqual([...full.headers]);
      expect(head.body).toBeNull();
    }
  });

  it("serves an empty file as 200 with Content-Length 0", async () => {
    const response = await get("/empty.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("0");
    expect(await response.text()).toBe("");
  });

  it("names itself simplehttp/<version> in the Server header", async () => {
    expect((await get("/hello.txt")).headers.get("server")).toBe(`simplehttp/${VERSION}`);
    expect((await get("/missing")).headers.get("server")).toBe(`simplehttp/${VERSION}`);
  });

  it("sends no Server header when server is false", async () => {
    const quiet = createHandler({ fs, server: false });
    expect((await quiet(new Request("http://localhost/hello.txt"))).headers.has("server")).toBe(false);
  });
});

describe("paths", () => {
  it("percent-decodes the path once", async () => {
    expect(await (await get("/docs/a%20b.txt")).text()).toBe("space");
    expect(await (await get("/docs/na%C3%AFve%20%E6%97%A5%E6%9C%AC.txt")).text()).toBe("unicode");
    // %2525 decodes once to the literal "%25", which names nothing here.
    expect((await get("/docs/x%2523y.txt")).status).toBe(404);
  });

  it("ignores the query string", async () => {
    expect(await (await get("/hello.txt?v=1&x=%00")).text()).toBe("hello world\n");
  });

  it("answers 400 for a malformed percent-escape", async () => {
    expect((await get("/docs/%E0%A4%A")).status).toBe(400);
    expect((await get("/%zz")).status).toBe(400);
  });

  it("treats // runs as one separator", async () => {
    expect(await (await get("//docs//guide.txt")).text()).toBe("guide");
  });
});

describe("directories", () => {
  it("serves index.html before index.htm", async () => {
    const response = await get("/site/");
    expect(await response.text()).toBe("<h1>site</h1>");
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("serves index.htm when there is no index.html", async () => {
    expect(await (await get("/legacy/")).text()).toBe("<h1>legacy</h1>");
  });

  it("answers 301 to the slash form, keeping the query string", async () => {
    const response = await get("/docs?sort=name&x=1");
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/docs/?sort=name&x=1");
    expect(response.body).toBeNull();
  });

  it("redirects with a Location that has exactly one leading slash", async () => {
    const response = await get("//docs/sub");
    expect(response.headers.get("location")).toBe("/docs/sub/");
  });

  it("percent-encodes the redirect Location", async () => {
    const spaced = createHandler({ fs: memoryFileSystem({ "a b/#c/x": "" }) });
    const response = await spaced(new Request("http://localhost/a%20b/%23c"));
    expect(response.headers.get("location")).toBe("/a%20b/%23c/");
  });

  it("lists a directory without an index, directories first with a trailing slash", async () => {
    const response = await get("/docs/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(Number(response.headers.get("content-length"))).toBe(new TextEncoder().encode(html).byteLength);
    expect(html).toContain('<a href="../">../</a>');
    expect(listedLabels(html)).toEqual(["sub/", "a b.txt", "guide.txt", "naïve 日本.txt", "x#y?z%&<w>.txt"]);
    expect(html).toContain("<title>Directory listing for /docs/</title>");
  });

  it("links every listed name so that following the link serves that file", async () => {
    const html = await (await get("/docs/")).text();
    const hrefs = listedEntries(html).map((entry) => entry.href);
    expect(hrefs).toContain("x%23y%3Fz%25%26%3Cw%3E.txt");
    for (const href of hrefs.filter((h) => h.endsWith(".txt"))) {
      const url = new URL(href, "http://localhost/docs/");
      const response = await handler(new Request(url));
      expect(response.status, href).toBe(200);
    }
    expect(
      await (await handler(new Request(new URL("x%23y%3Fz%25%26%3Cw%3E.txt", "http://localhost/docs/")))).text(),
    ).toBe("odd");
  });

  it("escapes names and the title in the listing", async () => {
    const evil = createHandler({ fs: memoryFileSystem({ "<script>alert(1)</script>/\"'.txt": "x" }) });
    const html = await (await evil(new Request("http://localhost/%3Cscript%3Ealert(1)%3C%2Fscript%3E/"))).text();
    // An encoded "/" in a segment is refused before any listing is made.
    expect(html).not.toContain("<script>alert");
    const root = await (await evil(new Request("http://localhost/"))).text();
    expect(root).not.toContain("<script>alert");
    expect(root.match(/<script>/g)).toHaveLength(1); // the page's own, whose hash the CSP allows
    expect(root).toContain("&lt;script&gt;alert(1)&lt;");
    expect(listedLabels(root)).toEqual(["<script>alert(1)</"]); // a folder: the key holds a "/"
  });

  it("lists an empty directory with only the parent link", async () => {
    const html = await (await get("/empty/")).text();
    expect(listedEntries(html)).toEqual([]);
    expect(html).toContain('<a href="../">../</a>');
    expect(html).toContain("This folder is empty.");
  });

  it("has no parent link at the root", async () => {
    expect(await (await get("/")).text()).not.toContain('href="../"');
  });

  it("answers 404 for a directory without index when listings are off", async () => {
    const noListing = createHandler({ fs, listing: false });
    expect((await noListing(new Request("http://localhost/docs/"))).status).toBe(404);
    expect((await noListing(new Request("http://localhost/site/"))).status).toBe(200);
  });

  it("uses the index names it is given", async () => {
    const htmOnly = createHandler({ fs, index: ["index.htm"] });
    expect(await (await htmOnly(new Request("http://localhost/site/"))).text()).toBe("<h1>shadowed</h1>");
  });
});

describe("not found", () => {
  it("answers 404 with a small HTML page for a missing file", async () => {
    const response = await get("/nope.txt");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toContain("404 Not Found");
  });

  it("answers 404 for a missing directory, without redirecting", async () => {
    expect((await get("/nodir")).status).toBe(404);
    expect((await get("/nodir/")).status).toBe(404);
  });

  it("answers 404 for a file asked for with a trailing slash", async () => {
    expect((await get("/hello.txt/")).status).toBe(404);
  });

  it("answers 404 for a path under a file", async () => {
    expect((await get("/hello.txt/more")).status).toBe(404);
  });

  it("never echoes the request path into the error page", async () => {
    expect(await (await get("/%3Cimg%20src%3Dx%3E")).text()).not.toContain("img");
  });
});

describe("staying inside the root", () => {
  // The URL parser already removes "..", "%2e%2e" and "%2e" segments from request.url, so these
  // are refused on what fetch() leaves; resolve.test.ts and the raw-socket tests cover the rest.
  it.each([["/docs/..%2fhello.txt"], ["/a%5c..%5cb"], ["/%00"], ["/docs/%2F"]])("answers 400 for %s", async (path) => {
    expect((await get(path)).status).toBe(400);
  });

  it("treats a double-encoded dot-dot as a literal name", async () => {
    expect((await get("/%252e%252e/hello.txt")).status).toBe(404);
  });

  it("hides dotfiles and dot-directories", async () => {
    for (const path of ["/.env", "/.git/config", "/.git/", "/docs/.hidden", "/.well-known/.secret"]) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect(listedLabels(await (await get("/docs/")).text())).not.toContain(".hidden");
    expect(
      listedLabels(await (await get("/")).text()).filter((name) => name.startsWith(".") && name !== ".well-known/"),
    ).toEqual([]);
  });

  it("serves /.well-known/", async () => {
    expect(await (await get("/.well-known/security.txt")).text()).toBe("Contact: mailto:a@b.c");
  });

  it("answers 403 for dotfiles and still leaves them out of listings under dotfiles: deny", async () => {
    const deny = createHandler({ fs, dotfiles: "deny" });
    expect((await deny(new Request("http://localhost/.env"))).status).toBe(403);
    expect(listedLabels(await (await deny(new Request("http://localhost/docs/"))).text())).not.toContain(".hidden");
  });

  it("refuses an unknown dotfiles policy at construction", () => {
    expect(() => createHandler({ fs, dotfiles: "maybe" as "allow" })).toThrow(TypeError);
  });

  it("serves and lists dotfiles under dotfiles: allow", async () => {
    const open = createHandler({ fs, dotfiles: "allow" });
    expect(await (await open(new Request("http://localhost/.env"))).text()).toBe("SECRET=1");
    expect(listedLabels(await (await open(new Request("http://localhost/docs/"))).text())).toContain(".hidden");
  });
});

describe("Content-Type", () => {
  it.each([
    ["/page.html", "text/html; charset=utf-8"],
    ["/data.json", "application/json; charset=utf-8"],
    ["/app.js", "text/javascript; charset=utf-8"],
    ["/module.wasm", "application/wasm"],
    ["/README", "application/octet-stream"],
    ["/blob.unknownext", "application/octet-stream"],
  ])("%s is %s", async (path, type) => {
    expect((await get(path)).headers.get("content-type")).toBe(type);
  });
});

describe("If-Modified-Since", () => {
  it("answers 304 with no body when the file is not newer", async () => {
    for (const since of [LAST_MODIFIED, "Sat, 03 Jan 2026 00:00:00 GMT"]) {
      const response = await get("/hello.txt", { headers: { "if-modified-since": since } });
      expect(response.status).toBe(304);
      expect(response.body).toBeNull();
      expect(response.headers.get("last-modified")).toBe(LAST_MODIFIED);
    }
  });

  it("answers 200 when the file is newer", async () => {
    const response = await get("/hello.txt", { headers: { "if-modified-since": "Fri, 02 Jan 2026 03:04:04 GMT" } });
    expect(response.status).toBe(200);
  });

  it("ignores an invalid date", async () => {
    expect((await get("/hello.txt", { headers: { "if-modified-since": "0" } })).status).toBe(200);
  });

  it("also answers 304 to HEAD", async () => {
    expect((await get("/hello.txt", { method: "HEAD", headers: { "if-modified-since": LAST_MODIFIED } })).status).toBe(
      304,
    );
  });
});

describe("Host", () => {
  it.each(["a/b", "a@b", "a\\b", "a b", "a\tb", "a?b", "a#b"])(
    "answers 400 to the Host %j, whatever the path",
    async (host) => {
      const response = await get("/hello.txt", { headers: { host } });
      expect(response.status).toBe(400);
    },
  );

  it("serves with an ordinary Host, an IPv6 literal and a port", async () => {
    for (const host of ["example.com", "127.0.0.1:8000", "[::1]:8000"])
      expect((await get("/hello.txt", { headers: { host } })).status).toBe(200);
  });
});

describe("methods", () => {
  it.each([["POST"], ["PUT"], ["DELETE"], ["PATCH"]])("answers %s with 405 and Allow", async (method) => {
    const response = await get("/hello.txt", { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND");
  });

  it("answers OPTIONS with 204 and Allow", async () => {
    const response = await get("/hello.txt", { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND");
  });
});

describe("errors", () => {
  const failing = (error: unknown): FileSystem => ({ ...fs, stat: () => Promise.reject(error) });

  it("turns an unexpected error into a plain 500 and reports it to onError", async () => {
    const onError = vi.fn();
    const boom = new Error("disk on fire at /secret/path");
    const response = await createHandler({ fs: failing(boom), onError })(new Request("http://localhost/x"));
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain("500 Internal Server Error");
    expect(body).not.toContain("disk on fire");
    expect(onError).toHaveBeenCalledWith(boom, expect.any(Request));
  });

  it.each([
    ["EACCES", 403],
    ["EPERM", 403],
    ["EMFILE", 503],
    ["EAGAIN", 503],
    ["ENAMETOOLONG", 414],
    ["ELOOP", 404],
    ["ECONNREFUSED", 502],
    ["ECONNRESET", 502],
    ["ENOTFOUND", 502],
    ["EAI_AGAIN", 502],
    ["EHOSTUNREACH", 502],
    ["ENETUNREACH", 502],
    ["EUPSTREAM", 502],
    ["ETIMEDOUT", 504],
  ])("maps a filesystem %s to %i, and tells onError of a 5xx only", async (code, status) => {
    const onError = vi.fn();
    const thrown = Object.assign(new Error(code), { code });
    const response = await createHandler({ fs: failing(thrown), onError })(new Request("http://localhost/x"));
    expect(response.status).toBe(status);
    if (status >= 500) expect(onError).toHaveBeenCalledExactlyOnceWith(thrown, expect.any(Request));
    else expect(onError).not.toHaveBeenCalled();
    expect(response.headers.has("retry-after")).toBe(status === 503);
  });

  it("names a store's failure on its page without its details: 502 Bad Gateway, 504 Gateway Timeout", async () => {
    for (const [code, title] of [
      ["ECONNREFUSED", "502 Bad Gateway"],
      ["ETIMEDOUT", "504 Gateway Timeout"],
    ]) {
      const thrown = Object.assign(new Error(`s3: GET secret/key: ${code}`), { code });
      const response = await createHandler({ fs: failing(thrown), onError: () => {} })(
        new Request("http://localhost/x"),
      );
      const body = await response.text();
      expect(body).toContain(title);
      expect(body).not.toContain("secret/key");
    }
  });

  it("says which errors are expected failures (a status) and which are bugs (none)", () => {
    expect(statusForError(Object.assign(new Error("x"), { code: "ETIMEDOUT" }))).toBe(504);
    expect(statusForError(Object.assign(new TypeError("x"), { code: "ERR_INVALID_ARG_TYPE" }))).toBeUndefined();
    expect(statusForError(new Error("x"))).toBeUndefined();
    expect(statusForError("x")).toBeUndefined();
  });
});

describe("prefix", () => {
  const mounted = createHandler({ fs, prefix: "/static/" });
  const at = (path: string) => mounted(new Request(`http://localhost${path}`));

  it("serves the files under the prefix", async () => {
    expect(await (await at("/static/hello.txt")).text()).toBe("hello world\n");
    expect(await (await at("/static/site/")).text()).toBe("<h1>site</h1>");
  });

  it("answers 404 outside the prefix, including look-alike paths", async () => {
    for (const path of ["/hello.txt", "/staticx/hello.txt", "/stat", "/"])
      expect((await at(path)).status, path).toBe(404);
  });

  it("keeps the prefix in redirects and listing titles", async () => {
    expect((await at("/static")).headers.get("location")).toBe("/static/");
    expect((await at("/static/docs?x=1")).headers.get("location")).toBe("/static/docs/?x=1");
    expect(await (await at("/static/docs/")).text()).toContain("<title>Directory listing for /static/docs/</title>");
  });

  it.each(["static", "/a//b", "/../x", "/a/./b", "/a?b", "/a#b"])("refuses the prefix %j at construction", (prefix) => {
    expect(() => createHandler({ fs, prefix })).toThrow(TypeError);
  });
});
