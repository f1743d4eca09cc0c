import { startWorker } from "../support/workerd.ts";
import { siteOptionsSuite } from "./site-options.ts";
import { startDiskTarget } from "./targets.ts";

siteOptionsSuite("node", () => startDiskTarget("node", { site: true }));
siteOptionsSuite("bun", () => startDiskTarget("bun", { site: true }));
siteOptionsSuite("deno", () => startDiskTarget("deno", { site: true }));
siteOptionsSuite("workerd", () => startWorker("test/conformance/site-worker.ts"));
