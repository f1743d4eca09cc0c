/**
 * simplehttp inside a Hono app, as an edge worker: the handler mounted under /static (with the
 * `prefix` option, so its redirects and listings know where they live) beside an ordinary route.
 * test/workerd/hono.test.ts bundles this file and runs it in workerd.
 */
import { createHandler, memoryFileSystem } from "@simplehttp/core";
import { Hono } from "hono";

const files = createHandler({
  prefix: "/static",
  fs: memoryFileSystem({
    "index.html": "<h1>static home</h1>",
    "css/site.css": "body { color: teal }",
    "docs/readme.txt": "read me",
  }),
});

const app = new Hono();
app.get("/api/hello", (c) => c.json({ hello: "from hono" }));
app.use("/static/*", (c) => files(c.req.raw));
app.use("/static", (c) => files(c.req.raw));

export default app;
