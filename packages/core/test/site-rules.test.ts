/**
 * The site's `_redirects` and `_headers` in the handler: read through the FileSystem, never stale
 * and read only when they change, hidden, under a mount prefix, and safe with what a request puts
 * in a placeholder. The dialect itself is the rule table's (test/conformance/site-rules-table.ts),
 * checked against Cloudflare's own parser and asset worker.
 */
import { describe, expect, it } from "vitest";
import {
  createHandler,
  type FileStat,
  type FileSystem,
  type HandlerOptions,
  memoryFileSystem,
  type RuleWarning,
} from "../src/index.js";

const encoder = new TextEncoder();
const SITE = { "new.txt": "new", ".env": "SECRET=1", "docs/a.txt": "a" };

/** The site, with rule files that can change and every call on them counted. */
function changingSite(rules: Record<string, string>) {
  const site = memoryFileSystem(SITE);
  const files = new Map(Object.entries(rules).map(([name, text]) => [name, { text, mtimeMs: 1000 }]));
  const calls: string[] = [];
  const ruleStat = (name: string): FileStat | null => {
    const file = files.get(name);
    return file === undefined ? null : { kind: "file", size: encoder.encode(file.text).length, mtimeMs: file.mtimeMs };
  };
  const fs: FileSystem = {
    stat: async (path) => {
      if (!path.startsWith("_")) return site.stat(path);
      calls.push(`stat ${path}`);
      return ruleStat(path);
    },
    read: async (path, range, stat) => {
      if (!path.startsWith("_")) return site.read(path, range, stat);
      calls.push(`read ${path}`);
      return encoder.encode(files.get(path)?.text ?? "").slice(range.start, range.end + 1);
    },
    readDir: async (path) => [
      ...(await site.readDir(path)),
      ...(path === "" ? [...files.keys()].map((name) => ({ name, stat: ruleStat(name) })) : []),
    ],
  };
  const change = (name: string, text: string | undefined) => {
    if (text === undefined) files.delete(name);
    else files.set(name, { text, mtimeMs: (files.get(name)?.mtimeMs ?? 0) + 1 });
  };
  return { fs, calls, change };
}

function serve(fs: FileSystem, options: Partial<HandlerOptions> = {}) {
  const warnings: RuleWarning[] = [];
  const handler = createHandler({ fs, onWarning: (warning) => warnings.push(warning), ...options });
  const get = (path: string, headers: Record<string, string> = {}) =>
    handler(new Request(`http://localhost${path}`, { headers }));
  return { get, warnings };
}

describe("the site's rules, as the files are now", () => {
  it("checks both files for each request once it came, and reads one only when it changed", async () => {
    const site = changingSite({ _redirects: "/old /new.txt 301\n", _headers: "/*\n  X-Site: 1\n" });
    const { get } = serve(site.fs);
    expect((await get("/old")).headers.get("location")).toBe("/new.txt");
    expect(site.calls.sort()).toEqual(["read _headers", "read _redirects", "stat _headers", "stat _redirects"]);
    site.calls.length = 0;
    expect((await get("/new.txt")).headers.get("x-site")).toBe("1");
    expect(site.calls.sort()).toEqual(["stat _headers", "stat _redirects"]);
    site.calls.length = 0;
    // A change between two requests made at once: the later one, made after it, follows it.
    const early = get("/new.txt");
    site.change("_redirects", "/old /newer.txt 308\n");
    site.change("_headers", undefined);
    const late = get("/old");
    expect((await early).headers.get("x-site")).toBe("1");
    const changed = await late;
    expect([changed.status, changed.headers.get("location")]).toEqual([308, "/newer.txt"]);
    expect(changed.headers.get("x-site")).toBeNull();
  });

  it("stats neither file while the filesystem knows both absent, and follows one as soon as it does not", async () => {
    const site = changingSite({});
    let known = true;
    const knownAbsent = (names: readonly string[]): boolean => {
      site.calls.push(`known ${names}`);
      return known;
    };
    const fs: FileSystem = { ...site.fs, knownAbsent };
    const { get } = serve(fs);
    expect((await get("/new.txt")).status).toBe(200);
    expect(site.calls).toEqual(["known _redirects,_headers"]);
    site.calls.length = 0;
    site.change("_redirects", "/new.txt /docs/a.txt 302\n");
    known = false; // a file made under the root: the filesystem can no longer tell
    expect((await get("/new.txt")).headers.get("location")).toBe("/docs/a.txt");
    expect(site.calls.sort()).toEqual([
      "known _redirects,_headers",
      "read _redirects",
      "stat _headers",
      "stat _redirects",
    ]);
  });

  it("reports a file's skipped lines once for each version it reads, with file and line", async () => {
    const site = changingSite({ _redirects: "/ok /new.txt\n/bad\n" });
    const { get, warnings } = serve(site.fs);
    await get("/ok");
    await get("/ok");
    expect(warnings).toEqual([
      { file: "_redirects", line: 2, text: "/bad", message: "expected 'from to [status]', got 1 word" },
    ]);
    site.change("_redirects", "/ok /new.txt\n\n/x /y 418\n");
    await get("/ok");
    expect(warnings.map(({ line, text }) => `${line} ${text}`)).toEqual(["2 /bad", "3 /x /y 418"]);
  });

  it("answers a rule file that cannot be read with the error's status, and reads it again next time", async () => {
    const site = changingSite({ _redirects: "/old /new.txt 301\n" });
    let fail = true;
    const failing: FileSystem = {
      ...site.fs,
      read: async (path, range, stat) => {
        if (path === "_redirects" && fail) throw Object.assign(new Error("EACCES"), { code: "EACCES" });
        return site.fs.read(path, range, stat);
      },
    };
    const { get } = serve(failing, { onError: () => {} });
    expect((await get("/old")).status).toBe(403);
    fail = false;
    expect((await get("/old")).status).toBe(301);
  });

  it("hides the rule files: 404, out of the listing; with siteRules false they are files", async () => {
    const fs = memoryFileSystem({ ...SITE, _redirects: "/old /new.txt\n", _headers: "/*\n  X-Site: 1\n" });
    const { get } = serve(fs);
    for (const path of ["/_redirects", "/_headers"]) expect((await get(path)).status).toBe(404);
    const listing = await (await get("/", { accept: "application/json" })).json();
    expect(JSON.stringify(listing)).not.toMatch(/_redirects|_headers/);
    const off = serve(fs, { siteRules: false });
    expect(await (await off.get("/_redirects")).text()).toBe("/old /new.txt\n");
    expect((await off.get("/old")).status).toBe(404);
    expect((await off.get("/new.txt")).headers.get("x-site")).toBeNull();
  });

  it("refuses every write of a rule file (403): an uploader may not redirect the whole site", async () => {
    const fs = memoryFileSystem({ ...SITE }, { writable: true });
    const handler = createHandler({ fs, write: { delete: true } });
    const send = (path: string, init: RequestInit) => handler(new Request(`http://localhost${path}`, init));
    expect((await send("/_redirects", { method: "PUT", body: "/* https://evil.example/ 302\n" })).status).toBe(403);
    const move = { method: "MOVE", headers: { destination: "http://localhost/_headers" } };
    expect((await send("/new.txt", move)).status).toBe(403);
    expect((await send("/new.txt", {})).status).toBe(200);
    expect((await send("/docs/_redirects", { method: "PUT", body: "a folder's own file" })).status).toBe(201);
    const off = createHandler({ fs, write: { delete: true }, siteRules: false });
    expect((await off(new Request("http://localhost/_redirects", { method: "PUT", body: "x" }))).status).toBe(201);
  });

  it("puts the site's headers on every reply: a 304, a redirect, a 405, an error page", async () => {
    const fs = memoryFileSystem({ ...SITE, _redirects: "/old /new.txt\n", _headers: "/*\n  X-Site: 1\n" });
    const { get } = serve(fs);
    const etag = (await get("/new.txt")).headers.get("etag") ?? "";
    expect((await get("/new.txt", { "if-none-match": etag })).status).toBe(304);
    expect((await get("/new.txt", { "if-none-match": etag })).headers.get("x-site")).toBe("1");
    expect((await get("/old")).headers.get("x-site")).toBe("1");
    expect((await get("/nothing")).headers.get("x-site")).toBe("1");
    const handler = createHandler({ fs });
    const deleted = await handler(new Request("http://localhost/new.txt", { method: "DELETE" }));
    expect([deleted.status, deleted.headers.get("x-site")]).toEqual([405, "1"]);
  });
});

describe("what a request can make of a rule", () => {
  it("matches paths under the mount prefix, and sends a relative target there", async () => {
    const fs = memoryFileSystem({ ...SITE, _redirects: "/old /new.txt 301\n/in/* /docs/:splat 200\n" });
    const { get } = serve(fs, { prefix: "/static" });
    expect((await get("/static/old?a=1")).headers.get("location")).toBe("/static/new.txt?a=1");
    expect(await (await get("/static/in/a.txt")).text()).toBe("a");
    expect((await get("/old")).status).toBe(404);
  });

  it("never makes a relative target another host's: slashes in a splat collapse", async () => {
    const fs = memoryFileSystem({ ...SITE, _redirects: "/r/* /:splat 302\n" });
    const { get } = serve(fs);
    for (const path of ["/r//evil.example/x", "/r/%5Cevil.example", "/r/%2F%2Fevil.example"]) {
      const response = await get(path);
      const location = response.headers.get("location");
      // An encoded slash is refused (400) before any rule is tried.
      if (location === null) expect(response.status, path).toBe(400);
      else expect(new URL(location, "http://localhost").host, path).toBe("localhost");
      if (location !== null) expect(location, path).toMatch(/^\/[^/\\]/);
    }
  });

  it("lets a rewrite reach only what a request could: no hidden file, no step out", async () => {
    const fs = memoryFileSystem({ ...SITE, _redirects: "/env /.env 200\n/up/* /docs/:splat 200\n" });
    const { get } = serve(fs);
    const env = await get("/env");
    expect(env.status).toBe(404);
    expect(await env.text()).not.toContain("SECRET");
    expect((await get("/up/%2e%2e/.env")).status).not.toBe(200);
  });

  it("matches a host pattern's placeholder within one label of the request's host", async () => {
    const fs = memoryFileSystem({ ...SITE, _headers: "https://:sub.example.com/*\n  X-Sub: :sub\n" });
    const handler = createHandler({ fs });
    const host = async (name: string) => (await handler(new Request(`http://${name}/new.txt`))).headers.get("x-sub");
    expect(await host("docs.example.com")).toBe("docs");
    expect(await host("a.b.example.com")).toBeNull();
    expect(await host("example.org")).toBeNull();
  });
});
