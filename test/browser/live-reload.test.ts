/**
 * Live reload in real Chromium, on each runtime's server (`serve({ liveReload: true })` under
 * Node, Bun and Deno): a page reloads within 300 ms of its file's save, a stylesheet changes in
 * place without a navigation, a build writing 500 files reloads the page once, and a listing
 * reloads when its folder gains a file, all under the pages' own CSPs, with no console error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RUNTIME_COMMANDS } from "../conformance/targets.ts";
import { REPO_ROOT, type SpawnedServer, spawnServer } from "../support/spawn-server.ts";
import { BrowserSession, misbehaviour, WAIT_MS } from "./browser.ts";

const SCRIPT = `${REPO_ROOT}test/support/live-server.ts`;
/** The bound: from a save to the page shown again. */
const RELOAD_MS = 300;
const RED = "rgb(255, 0, 0)";
const BLUE = "rgb(0, 0, 255)";

const page = (text: string) =>
  '<!DOCTYPE html><html><head><title>Live</title><link rel="icon" href="data:,">' +
  '<link rel="stylesheet" href="css/site.css"><script src="dist/f0.js"></script></head>' +
  `<body><p id="text">${text}</p></body></html>`;

/** Whether the page's event stream is open: its changes reach it from then on. */
const streaming = (target: Page) =>
  target.waitForFunction(
    () => (window as unknown as { __simplehttpLive?: EventSource }).__simplehttpLive?.readyState === 1,
    undefined,
    { timeout: WAIT_MS },
  );

/** Counts the page's loads (a reload is one) from now on. */
function loads(target: Page): { count: number; next: Promise<number> } {
  const counter = { count: 0, next: Promise.resolve(0) };
  counter.next = new Promise((resolve) =>
    target.on("load", () => {
      counter.count++;
      resolve(performance.now());
    }),
  );
  return counter;
}

describe.each(["node", "bun", "deno"] as const)("live reload on %s", (runtime) => {
  let root: string;
  let server: SpawnedServer;
  let browser: BrowserSession;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), `simplehttp-live-${runtime}-`));
    mkdirSync(join(root, "css"));
    mkdirSync(join(root, "dist"));
    mkdirSync(join(root, "files"));
    writeFileSync(join(root, "index.html"), page("one"));
    writeFileSync(join(root, "css", "site.css"), `p { color: ${RED}; }`);
    writeFileSync(join(root, "dist", "f0.js"), "window.built = 0;");
    writeFileSync(join(root, "files", "a.txt"), "a");
    const [command, ...args] = RUNTIME_COMMANDS[runtime];
    server = await spawnServer(command, [...args.slice(0, -1), SCRIPT, root]);
    browser = await BrowserSession.launch();
  });
  afterEach(async () => {
    // Only the pages' own requests: documents, the stylesheet and script, the event stream.
    const pages = await browser.closeContexts();
    expect(misbehaviour(pages, server.url, [], ["stylesheet", "script", "eventsource"])).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it(`reloads a page within ${RELOAD_MS} ms of its file's save`, async () => {
    const { page: target } = await browser.open(server.url);
    await streaming(target);
    const counter = loads(target);
    // Wall-clock time on both sides: the new document's timeOrigin is when Chromium began to
    // load it (High Resolution Time §4.1), on the same machine's clock.
    const saved = Date.now();
    writeFileSync(join(root, "index.html"), page("two"));
    await counter.next;
    expect(await target.locator("#text").textContent()).toBe("two");
    // The reload begins within the bound; loading the page is then Chromium's own time.
    expect((await target.evaluate(() => performance.timeOrigin)) - saved).toBeLessThan(RELOAD_MS);
  });

  it("swaps a changed stylesheet without a navigation", async () => {
    const { page: target } = await browser.open(server.url);
    await streaming(target);
    const colour = () => target.locator("#text").evaluate((element) => getComputedStyle(element).color);
    expect(await colour()).toBe(RED);
    await target.evaluate(() => Object.assign(window, { untouched: true }));
    const counter = loads(target);
    writeFileSync(join(root, "css", "site.css"), `p { color: ${BLUE}; }`);
    await expect.poll(colour, { timeout: WAIT_MS }).toBe(BLUE);
    expect(counter.count).toBe(0);
    expect(await target.evaluate(() => (window as unknown as { untouched?: boolean }).untouched)).toBe(true);
    // The old link goes once the new one has loaded.
    await expect.poll(() => target.locator('link[rel="stylesheet"]').count(), { timeout: WAIT_MS }).toBe(1);
  });

  it("reloads once when a build writes 500 files at once", async () => {
    const { page: target } = await browser.open(server.url);
    await streaming(target);
    const counter = loads(target);
    for (let i = 0; i < 500; i++) writeFileSync(join(root, "dist", `f${i}.js`), `window.built = ${i};`);
    await counter.next;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(counter.count).toBe(1);
    expect(await target.evaluate(() => (window as unknown as { built?: number }).built)).toBe(0);
  });

  it("reloads a folder's listing when a file appears in it, under the listing's own CSP", async () => {
    const { page: target } = await browser.open(`${server.url}files/`);
    await streaming(target);
    const counter = loads(target);
    writeFileSync(join(root, "files", "b.txt"), "b");
    await counter.next;
    await expect.poll(() => target.locator("#list .e a").allTextContents()).toEqual(["a.txt", "b.txt"]);
  });
});
