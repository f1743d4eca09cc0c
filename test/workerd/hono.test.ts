import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../support/workerd.ts";

describe("a Hono app in workerd mounting the middleware under /static", () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker("examples/hono-worker.ts");
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
  });
  const get = (path: string) => fetch(new URL(path, worker.url), { redirect: "manual" });

  it("serves files under the mount point", async () => {
    const css = await get("/static/css/site.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toBe("body { color: teal }");
    expect(await (await get("/static/")).text()).toBe("<h1>static home</h1>");
  });

  it("redirects a directory to its slash form inside the mount point", async () => {
    expect((await get("/static/docs")).headers.get("location")).toBe("/static/docs/");
    expect((await get("/static")).headers.get("location")).toBe("/static/");
  });

  it("lists under the mount point", async () => {
    expect(await (await get("/static/docs/")).text()).toContain("Directory listing for /static/docs/");
  });

  it("passes a path with no file on to the app's later route", async () => {
    const response = await get("/static/missing.txt");
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("no file at /static/missing.txt");
  });

  it("leaves the app's own routes to Hono", async () => {
    expect(await (await get("/api/hello")).json()).toEqual({ hello: "from hono" });
    expect((await get("/nowhere")).status).toBe(404);
  });
});
