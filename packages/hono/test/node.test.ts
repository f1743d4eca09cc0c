/**
 * The middleware in a Hono app on Node, through `app.fetch` (as @hono/node-server calls it), and
 * what only a test in the same process can see: how many core handlers it builds.
 */
import { createResponder, type HandlerOptions, memoryFileSystem } from "@simplehttp/core";
import { type SimplehttpOptions, simplehttp } from "@simplehttp/hono";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "./fixture-app.ts";
import { describeMiddleware } from "./suite.ts";

// Counts the core handlers the middleware builds, and still builds them.
vi.mock("@simplehttp/core", async (importOriginal) => {
  const core = await importOriginal<typeof import("@simplehttp/core")>();
  return { ...core, createResponder: vi.fn(core.createResponder) };
});
const built = vi.mocked(createResponder);
const prefixesBuilt = (): (string | undefined)[] =>
  built.mock.calls.map(([options]: [HandlerOptions]) => options.prefix);

describeMiddleware("Node (app.fetch)", async () => {
  const app = createApp();
  return { fetch: async (path, init) => app.request(path, init), stop: async () => {} };
});

describe("the Hono middleware's core handlers", () => {
  const fs = memoryFileSystem({ "a.txt": "a", "docs/b.txt": "b" });

  it("builds the core handler once per mount point, not per request", async () => {
    built.mockClear();
    const app = new Hono();
    const files = simplehttp({ fs });
    app.use("/one/*", files);
    app.use("/two/*", files);
    for (let i = 0; i < 3; i++)
      for (const path of ["/one/a.txt", "/two/a.txt", "/one/docs/", "/two/docs"])
        await (await app.request(path)).arrayBuffer();
    // The root one is built up front, to check the options at startup.
    expect(prefixesBuilt()).toEqual(["", "/one", "/two"]);
  });

  it("keeps a bounded number of mount points, dropping the least recently used", async () => {
    const app = new Hono();
    app.use("/:user/files/*", simplehttp({ fs }));
    const get = async (user: string) => expect(await (await app.request(`/${user}/files/a.txt`)).text()).toBe("a");
    await get("first");
    built.mockClear();
    for (let i = 0; i < 64; i++) {
      await get(`user${i}`);
      if (i % 8 === 0) await get("first"); // used recently: kept
    }
    await get("first");
    expect(prefixesBuilt()).not.toContain("/first/files");
    await get("user0");
    expect(prefixesBuilt().filter((prefix) => prefix === "/user0/files")).toHaveLength(2);
  });

  it("checks its options when it is created, not at the first request", () => {
    expect(() => simplehttp({ fs, headers: { "bad name": "x" } })).toThrow(TypeError);
    const options = { fs, onNotFound: "skip" } as unknown as SimplehttpOptions;
    expect(() => simplehttp(options)).toThrow(/onNotFound/);
  });

  it("passes a 404 on without reading the site's 404 page", async () => {
    const stat = vi.fn(fs.stat);
    const app = new Hono();
    app.use("/s/*", simplehttp({ fs: { ...fs, stat } }));
    expect((await app.request("/s/missing.txt")).status).toBe(404);
    // The path, and the site's rule files (checked on each request); never 404.html.
    expect(stat.mock.calls.map(([path]) => path).sort()).toEqual(["_headers", "_redirects", "missing.txt"]);
  });
});
