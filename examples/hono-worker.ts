/**
 * simplehttp inside a Hono app, as an edge worker: the files mounted under /static with the
 * `@simplehttp/hono` middleware, which takes its mount point from the route (so redirects and
 * listings keep `/static`) and passes what it has no file for on to the app's later routes.
 * test/workerd/hono.test.ts bundles this file and runs it in workerd.
 */
import { memoryFileSystem } from "@simplehttp/core";
import { simplehttp } from "@simplehttp/hono";
import { Hono } from "hono";

const app = new Hono();
app.get("/api/hello", (c) => c.json({ hello: "from hono" }));
app.use(
  "/static/*",
  simplehttp({
    fs: memoryFileSystem({
      "index.html": "<h1>static home</h1>",
      "css/site.css": "body { color: teal }",
      "docs/readme.txt": "read me",
    }),
  }),
);
// Reached only for what the files do not have.
app.get("/static/*", (c) => c.text(`no file at ${c.req.path}`, 404));

export default app;
