/**
 * The handler over object storage: a FileSystem with `open()` (one call finds a file and its
 * bytes), stored metadata (ETag, type, encoding, cache-control), and times that may be unknown.
 * The store here is a fake that counts its round trips as an S3 or R2 client would make them.
 */
import { describe, expect, it } from "vitest";
import {
  type ByteRange,
  createHandler,
  type DirEntry,
  type FileStat,
  type FileSystem,
  type RangeHint,
} from "../src/index.js";

interface StoredObject {
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  uploaded: number;
  mtime?: number;
  contentType?: string;
  contentEncoding?: string;
  cacheControl?: string;
}

const encoder = new TextEncoder();
const UPLOADED = Date.UTC(2026, 5, 1);
const MTIME = Date.UTC(2025, 0, 2, 3, 4, 5);

/** A bucket as a map of keys, with a list page of `pageSize` and every call counted. */
function fakeStore(
  objects: Record<string, Omit<StoredObject, "etag" | "uploaded"> & { etag?: string; uploaded?: number }>,
  pageSize = 1000,
) {
  const keys = new Map(
    Object.entries(objects).map(([key, object], i) => [key, { etag: `"etag-${i}"`, uploaded: UPLOADED, ...object }]),
  );
  const calls: string[] = [];
  const statOf = (object: StoredObject): FileStat => ({
    kind: "file",
    size: object.bytes.byteLength,
    mtimeMs: object.mtime ?? object.uploaded,
    etag: object.etag,
    contentType: object.contentType,
    contentEncoding: object.contentEncoding,
    cacheControl: object.cacheControl,
  });
  // Directories are prefixes: one page of a delimited list tells whether anything is below.
  const listPages = (path: string): DirEntry[][] => {
    const prefix = path === "" ? "" : `${path}/`;
    const seen = new Map<string, DirEntry>();
    for (const [key, object] of keys) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf("/");
      const name = slash < 0 ? rest : rest.slice(0, slash);
      if (!seen.has(name)) seen.set(name, { name, stat: slash < 0 ? statOf(object) : { kind: "directory", size: 0 } });
    }
    const rows = [...seen.values()];
    const pages: DirEntry[][] = [];
    for (let i = 0; i < rows.length; i += pageSize) pages.push(rows.slice(i, i + pageSize));
    return pages.length === 0 ? [[]] : pages;
  };
  const isPrefix = (path: string): boolean => {
    calls.push(`list ${path}/ (1)`);
    return (listPages(path)[0]?.length ?? 0) > 0;
  };
  const slice = (bytes: Uint8Array<ArrayBuffer>, range: ByteRange) => bytes.slice(range.start, range.end + 1);
  const fs: FileSystem = {
    async stat(path) {
      calls.push(`head ${path}`);
      const object = keys.get(path);
      if (object) return statOf(object);
      return isPrefix(path) ? { kind: "directory", size: 0 } : null;
    },
    async read(path, range) {
      calls.push(`get ${path} ${range.start}-${range.end}`);
      const object = keys.get(path);
      if (!object) throw Object.assign(new Error("gone"), { code: "ENOENT" });
      return slice(object.bytes, range);
    },
    async readDir(path) {
      const pages = listPages(path);
      for (let i = 0; i < pages.length; i++) calls.push(`list ${path}/ (${i + 1})`);
      const rows = pages.flat();
      if (rows.length === 0) throw Object.assign(new Error("no such prefix"), { code: "ENOENT" });
      return rows;
    },
    async open(path, hint?: RangeHint, filesOnly?: boolean) {
      calls.push(`get ${path}${hint ? ` ${JSON.stringify(hint)}` : ""}`);
      const object = keys.get(path);
      if (!object)
        return !filesOnly && isPrefix(path) ? { stat: { kind: "directory", size: 0 }, body: null, range: null } : null;
      const size = object.bytes.byteLength;
      if (hint === undefined) return { stat: statOf(object), body: object.bytes, range: null };
      // As R2 does: a range starting at or past the end cannot be read (the store refuses it).
      const range =
        "suffix" in hint
          ? { start: Math.max(0, size - hint.suffix), end: size - 1 }
          : { start: hint.start, end: Math.min(hint.end ?? size - 1, size - 1) };
      if (range.start >= size) return { stat: statOf(object), body: null, range: null };
      return { stat: statOf(object), body: slice(object.bytes, range), range };
    },
  };
  return { fs, calls };
}

const bytes = (text: string) => encoder.encode(text);
const store = () =>
  fakeStore({
    "hello.txt": { bytes: bytes("hello, object storage\n"), mtime: MTIME },
    "data.bin": { bytes: Uint8Array.from({ length: 1000 }, (_, i) => i % 251) },
    "typed.dat": { bytes: bytes("{}"), contentType: "application/json" },
    "generic.css": { bytes: bytes("a{}"), contentType: "binary/octet-stream" },
    "app.js.gz": { bytes: Uint8Array.of(0x1f, 0x8b, 8), contentType: "text/javascript", contentEncoding: "gzip" },
    "cached.txt": { bytes: bytes("c"), cacheControl: "max-age=60" },
    "site/index.html": { bytes: bytes("<h1>site</h1>") },
    "docs/a.txt": { bytes: bytes("a") },
    "docs/b.txt": { bytes: bytes("b") },
    "docs/sub/c.txt": { bytes: bytes("c") },
  });

function serve(pageSize?: number, options: { notFoundPage?: false } = {}) {
  const { fs, calls } =
    pageSize === undefined
      ? store()
      : fakeStore(
          {
            ...Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`many/f${i}.txt`, { bytes: bytes(String(i)) }])),
          },
          pageSize,
        );
  // The lookup's own calls: the site's rules (two stats a request) are counted in site-rules.test.ts.
  const handler = createHandler({ fs, siteRules: false, ...options });
  const get = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
    calls.length = 0;
    const response = await handler(new Request(`http://localhost${path}`, { headers, method }));
    const body = new Uint8Array(await response.arrayBuffer());
    return { response, body, calls: [...calls] };
  };
  return get;
}

describe("round trips to the store", () => {
  const get = serve();

  it("costs one call for a GET of a file, metadata and bytes together", async () => {
    const { response, body, calls } = await get("/hello.txt");
    expect(response.status).toBe(200);
    expect(new TextDecoder().decode(body)).toBe("hello, object storage\n");
    expect(calls).toEqual(["get hello.txt"]);
  });

  it("costs one call for a range, the store reading just that range", async () => {
    for (const [range, hint, start, end] of [
      ["bytes=100-199", '{"start":100,"end":199}', 100, 199],
      ["bytes=990-", '{"start":990}', 990, 999],
      ["bytes=-10", '{"suffix":10}', 990, 999],
      ["bytes=900-5000", '{"start":900,"end":5000}', 900, 999],
    ] as const) {
      const { response, body, calls } = await get("/data.bin", { range });
      expect(response.status, range).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/1000`);
      expect([...body]).toEqual(Array.from({ length: end - start + 1 }, (_, i) => (start + i) % 251));
      expect(calls, range).toEqual([`get data.bin ${hint}`]);
    }
  });

  it("reads several ranges part by part after one metadata call, never the whole file", async () => {
    const { response, calls } = await get("/data.bin", { range: "bytes=0-9,500-509" });
    expect(response.status).toBe(206);
    expect(calls).toEqual(["head data.bin", "get data.bin 0-9", "get data.bin 500-509"]);
  });

  it("answers an unsatisfiable range 416 in one call, though the store could not read it", async () => {
    const { response, calls } = await get("/data.bin", { range: "bytes=5000-" });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */1000");
    expect(calls).toHaveLength(1);
  });

  it("costs at most one call for a 304, and one for a HEAD", async () => {
    const etag = (await get("/hello.txt")).response.headers.get("etag") ?? "";
    const notModified = await get("/hello.txt", { "if-none-match": etag });
    expect(notModified.response.status).toBe(304);
    expect(notModified.calls.length).toBeLessThanOrEqual(1);
    const head = await get("/hello.txt", {}, "HEAD");
    expect(head.response.headers.get("content-length")).toBe("22");
    expect(head.calls).toEqual(["head hello.txt"]);
  });

  // And two for a folder asked for without its slash.
  it("costs two calls for a 404 (a key, then a prefix), one more to look for the site's 404.html", async () => {
    const missing = await serve(undefined, { notFoundPage: false })("/missing.txt");
    expect(missing.response.status).toBe(404);
    expect(missing.calls).toEqual(["get missing.txt", "list missing.txt/ (1)"]);
    expect((await get("/missing.txt")).calls).toEqual(["get missing.txt", "list missing.txt/ (1)", "get 404.html"]);
    const folder = await get("/docs");
    expect(folder.response.status).toBe(301);
    expect(folder.calls.length).toBeLessThanOrEqual(2);
  });

  it("lists a folder with one list call per page, and finds its index page in that listing", async () => {
    const listing = await get("/docs/");
    expect(listing.response.status).toBe(200);
    expect(listing.calls).toEqual(["list docs/ (1)"]);
    const site = await get("/site/");
    expect(new TextDecoder().decode(site.body)).toBe("<h1>site</h1>");
    expect(site.calls).toEqual(["list site/ (1)", "get site/index.html"]);
    const paged = await serve(3)("/many/");
    expect(paged.calls).toEqual(["list many/ (1)", "list many/ (2)", "list many/ (3)"]);
    expect(new TextDecoder().decode(paged.body)).toContain('href="f6.txt"');
  });

  it("looks for each fallback in one call that also reads it: no HEAD, and no list when it misses", async () => {
    const { fs, calls } = fakeStore({
      "about.html": { bytes: bytes("<h1>about</h1>") },
      "app.html": { bytes: bytes("<h1>app</h1>") },
    });
    const handler = createHandler({
      fs,
      siteRules: false,
      extensions: ["htm", "html"],
      spa: "app.html",
      notFoundPage: false,
    });
    const fetchPage = async (path: string) => {
      calls.length = 0;
      const response = await handler(new Request(`http://localhost${path}`, { headers: { accept: "text/html" } }));
      return { text: await response.text(), calls: [...calls] };
    };
    const about = await fetchPage("/about");
    expect(about.text).toBe("<h1>about</h1>");
    expect(about.calls).toEqual(["get about", "list about/ (1)", "get about.htm", "get about.html"]);
    const route = await fetchPage("/route");
    expect(route.text).toBe("<h1>app</h1>");
    expect(route.calls).toEqual(["get route", "list route/ (1)", "get route.htm", "get route.html", "get app.html"]);
  });

  it("answers a prefix with no key below it 404", async () => {
    const { response, calls } = await get("/nothing/");
    expect(response.status).toBe(404);
    expect(calls).toEqual(["list nothing/ (1)", "get 404.html"]);
  });
});

describe("what a store knows and a disk does not", () => {
  const get = serve();

  it("prefers the store's strong ETag, and its file time (rclone's mtime) for Last-Modified", async () => {
    const { response } = await get("/hello.txt");
    expect(response.headers.get("etag")).toBe('"etag-0"');
    expect(response.headers.get("last-modified")).toBe("Thu, 02 Jan 2025 03:04:05 GMT");
  });

  it("uses a stored Content-Type, but guesses from the name over a generic one", async () => {
    expect((await get("/typed.dat")).response.headers.get("content-type")).toBe("application/json");
    expect((await get("/generic.css")).response.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("sends an object stored compressed as it is, with its Content-Encoding and no negotiation", async () => {
    const { response, body } = await get("/app.js.gz", { "accept-encoding": "identity" });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("vary")).toBeNull();
    expect([...body]).toEqual([0x1f, 0x8b, 8]);
  });

  it("sends a 404.html stored compressed with its Content-Encoding and stored type", async () => {
    const { fs } = fakeStore({
      "404.html": { bytes: Uint8Array.of(0x1f, 0x8b, 8), contentType: "text/html", contentEncoding: "gzip" },
    });
    const handler = createHandler({ fs });
    for (const method of ["GET", "HEAD"]) {
      const response = await handler(new Request("http://localhost/missing", { method }));
      expect(response.status, method).toBe(404);
      expect(response.headers.get("content-type"), method).toBe("text/html");
      expect(response.headers.get("content-encoding"), method).toBe("gzip");
      expect(response.headers.get("content-length"), method).toBe("3");
      expect([...new Uint8Array(await response.arrayBuffer())], method).toEqual(
        method === "GET" ? [0x1f, 0x8b, 8] : [],
      );
    }
  });

  it("uses a stored Cache-Control unless the handler sets one", async () => {
    expect((await get("/cached.txt")).response.headers.get("cache-control")).toBe("max-age=60");
    const { fs } = store();
    const set = createHandler({ fs, cacheControl: "no-cache" });
    expect((await set(new Request("http://localhost/cached.txt"))).headers.get("cache-control")).toBe("no-cache");
  });
});

describe("a file whose time is unknown (RFC 9110 §13.1.3)", () => {
  const timeless: FileSystem = {
    stat: async (path) =>
      path === "a.txt" ? { kind: "file", size: 1 } : path === "" ? { kind: "directory", size: 0 } : null,
    read: async () => bytes("a"),
    readDir: async () => [{ name: "a.txt", stat: { kind: "file", size: 1 } }],
  };
  const handler = createHandler({ fs: timeless });
  const get = (path: string, headers: Record<string, string> = {}) =>
    handler(new Request(`http://localhost${path}`, { headers }));

  it("has no Last-Modified, no ETag without a stored one (a size alone would call two files the same)", async () => {
    const response = await get("/a.txt");
    expect(response.status).toBe(200);
    expect(response.headers.has("last-modified")).toBe(false);
    expect(response.headers.has("etag")).toBe(false);
  });

  it("ignores If-Modified-Since, If-Unmodified-Since and a date If-Range", async () => {
    const date = "Fri, 02 Jan 2026 03:04:05 GMT";
    expect((await get("/a.txt", { "if-modified-since": date })).status).toBe(200);
    expect((await get("/a.txt", { "if-unmodified-since": "Thu, 01 Jan 1970 00:00:00 GMT" })).status).toBe(200);
    expect((await get("/a.txt", { range: "bytes=0-0", "if-range": date })).status).toBe(200);
    expect((await get("/a.txt", { "if-match": '"x"' })).status).toBe(412);
    expect((await get("/a.txt", { "if-none-match": "*" })).status).toBe(304);
  });

  it("lists it with an empty Modified cell, and null in JSON", async () => {
    const html = await (await get("/")).text();
    expect(html).toContain('<a href="a.txt">a.txt</a><td title="1 byte">1 B<td>\n');
    const json = (await (await get("/?format=json")).json()) as { entries: { mtime: string | null }[] };
    expect(json.entries[0]?.mtime).toBeNull();
  });
});
