import { describe, expect, it } from "vitest";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.js";

const files = {
  "index.html": "<!doctype html><p>shell</p>",
  "about.html": "about page",
  "guide.htm": "guide (htm)",
  "docs/intro.html": "intro",
  "docs/index.html": "docs index",
  "blog/": "",
  "app.js": "export {}",
  "data.json": "{}",
  "404.html": "<h1>custom 404</h1>",
  ".secret.html": "hidden",
  ".well-known/security.txt": "Contact: mailto:a@b.c",
};
const fs = memoryFileSystem(files, { mtime: 0 });
const make = (options: Partial<HandlerOptions> = {}) => {
  const handler = createHandler({ fs, ...options });
  return (path: string, headers: Record<string, string> = {}, method = "GET") =>
    handler(new Request(`http://localhost${path}`, { headers, method }));
};
const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("extensions (/about → about.html)", () => {
  const get = make({ extensions: ["html", ".htm"] });

  it("serves about.html for /about, with 200 and no redirect, typed by the file it serves", async () => {
    const response = await get("/about");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toBe("about page");
    expect(await (await get("/guide")).text()).toBe("guide (htm)");
    expect(await (await get("/docs/intro")).text()).toBe("intro");
  });

  it("lets a directory of the same name win, and never applies to /about/", async () => {
    expect((await get("/docs")).status).toBe(301);
    expect((await get("/about/")).status).toBe(404);
  });

  it("never reaches a hidden file: /.secret is refused before any extension is tried", async () => {
    const response = await get("/.secret");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("hidden");
  });

  it("refuses an extension that is not a plain name", () => {
    for (const extension of ["", "a/b", "..", "h tml"])
      expect(() => make({ extensions: [extension] }), extension).toThrow(TypeError);
  });
});

describe("single-page apps (spa)", () => {
  const get = make({ spa: true, notFoundPage: false });

  it("answers a page load of a path that names nothing with the app's index.html and 200", async () => {
    for (const path of ["/settings", "/users/42/profile", "/deep/route/"]) {
      const response = await get(path, HTML);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe("<!doctype html><p>shell</p>");
    }
    expect((await get("/settings", {})).status).toBe(200); // no Accept: anything is acceptable
    const head = await get("/settings", HTML, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it("keeps a missing asset a 404: /app2.js, /style.css, and requests that do not accept HTML", async () => {
    for (const path of ["/app2.js", "/style.css", "/img/logo.png"])
      expect((await get(path, HTML)).status, path).toBe(404);
    expect((await get("/settings", { accept: "application/json" })).status).toBe(404);
  });

  it("never falls back under /.well-known/", async () => {
    expect((await get("/.well-known/change-password", HTML)).status).toBe(404);
    expect(await (await get("/.well-known/security.txt")).text()).toBe("Contact: mailto:a@b.c");
  });

  it("lets real files and directories win", async () => {
    expect(await (await get("/app.js", HTML)).text()).toBe("export {}");
    expect(await (await get("/docs/", HTML)).text()).toBe("docs index");
    expect((await get("/blog/", HTML)).headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await (await get("/blog/", HTML)).text()).toContain("Directory listing for /blog/");
  });

  it("serves another file when asked, and refuses one the dotfile policy hides", async () => {
    expect(await (await make({ spa: "about.html" })("/x", HTML)).text()).toBe("about page");
    expect(() => make({ spa: ".secret.html" })).toThrow(TypeError);
    expect(() => make({ spa: "../etc/passwd" })).toThrow(TypeError);
  });

  it("answers 404 when the app's file itself is missing", async () => {
    expect((await make({ spa: "missing.html", notFoundPage: false })("/route", HTML)).status).toBe(404);
  });
});

describe("the site's 404 page", () => {
  const get = make();

  it("answers every path that names nothing with 404.html and status 404", async () => {
    for (const path of ["/missing.txt", "/a/b/c", "/about/", "/.env"]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toBe("text/html; charset=utf-8");
      expect(await response.text(), path).toBe("<h1>custom 404</h1>");
    }
    const head = await get("/missing.txt", {}, "HEAD");
    expect(head.status).toBe(404);
    expect(head.headers.get("content-length")).toBe(String("<h1>custom 404</h1>".length));
    expect(head.body).toBeNull();
  });

  it("never replaces a 400, 403 or 405", async () => {
    for (const [path, init, status] of [
      ["/a%2fb", {}, 400],
      ["/a.txt", { method: "POST" }, 405],
    ] as const) {
      const response = await make()(path, {}, init.method ?? "GET");
      expect(response.status).toBe(status);
      expect(await response.text()).not.toContain("custom 404");
    }
    const denied = await make({ dotfiles: "deny" })("/.env");
    expect(denied.status).toBe(403);
    expect(await denied.text()).not.toContain("custom 404");
  });

  it("is off with notFoundPage: false, and another file with notFoundPage: 'errors/...'", async () => {
    expect(await (await make({ notFoundPage: false })("/missing")).text()).toContain("404 Not Found");
    const other = createHandler({
      fs: memoryFileSystem({ "errors/gone.html": "gone" }),
      notFoundPage: "errors/gone.html",
    });
    expect(await (await other(new Request("http://localhost/x"))).text()).toBe("gone");
  });

  it("stays the plain 404 when the site has no 404.html", async () => {
    const plain = createHandler({ fs: memoryFileSystem({ "a.txt": "a" }) });
    expect(await (await plain(new Request("http://localhost/missing"))).text()).toContain("404 Not Found");
  });
});
