/**
 * The Hono middleware in workerd: the fixture app bundled for a neutral platform and run through
 * Miniflare, against the suite every runtime passes.
 */
import { describeMiddleware } from "../../packages/hono/test/suite.ts";
import { startWorker } from "../support/workerd.ts";

describeMiddleware("workerd", async () => {
  const worker = await startWorker("test/workerd/hono-middleware-app.ts");
  return {
    fetch: (path, init) => fetch(new URL(path, worker.url), { redirect: "manual", ...init }),
    stop: () => worker.stop(),
  };
});
