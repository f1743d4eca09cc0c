/**
 * The Hono app every runtime's tests run: one simplehttp middleware mounted in each way a route can
 * mount it, beside ordinary routes it must leave alone. Runtime-neutral (Node's app.fetch, Bun,
 * Deno and workerd all load it).
 */
import { memoryFileSystem } from "@simplehttp/core";
import { simplehttp } from "@simplehttp/hono";
import { Hono } from "hono";

/** What the fixture's files hold. */
export const FILES = {
  "index.html": "<h1>static home</h1>",
  "digits.txt": "0123456789",
  "docs/readme.txt": "read me",
  "docs/guide/intro.txt": "intro",
  "404.html": "custom 404",
} as const;

export function createApp(): Hono {
  const fs = memoryFileSystem({ ...FILES });
  // One middleware, several mount points: each gets its own core handler, built once.
  const files = simplehttp({ fs, cors: true });
  const app = new Hono();

  app.use("/static/*", files);
  app.get("/static/*", (c) => c.text("fallback"));
  app.post("/static/*", (c) => c.text("posted"));

  app.use("/mirror/*", files);
  app.use("/re/:path{.+}", files);
  app.use("/:lang{[a-z]{2}}/files/*", files);
  app.use("/dätä/*", files);
  app.use("/a|b/*", files);

  app.use("/strict/*", simplehttp({ fs, onNotFound: "respond", onOtherMethod: "respond" }));
  app.get("/strict/*", (c) => c.text("never reached"));

  const sub = new Hono();
  sub.use("/static/*", files);
  sub.get("/static/*", (c) => c.text("sub fallback"));
  app.route("/assets", sub);
  const based = new Hono().basePath("/based");
  based.use("/files/*", files);
  app.route("/", based);

  // Writes: the middleware answers those its switches allow, beside routes of the app's own.
  const inbox = memoryFileSystem({ "kept.txt": "kept" }, { writable: true });
  const writable = simplehttp({ fs: inbox, write: { delete: true }, cors: true });
  app.use("/inbox/*", writable);
  app.use("/in|box/*", writable);
  app.post("/inbox/*", (c) => c.text("never reached"));
  app.use("/drop/*", simplehttp({ fs: inbox, write: { upload: true } }));
  app.delete("/drop/*", (c) => c.text("the app's delete"));

  app.get("/api/hello", (c) => c.json({ hello: "from hono" }));
  return app;
}
