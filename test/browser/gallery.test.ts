/**
 * The gallery of a folder of 30 photos in Chromium: images load only near the viewport (then the
 * rest as the page scrolls), decode off the main thread, and hold their box while they load, so
 * nothing on the page moves.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BrowserSession, WAIT_MS } from "./browser.ts";
import { png } from "./fixture.ts";
import { type ServedFolder, serveTree, writeTree } from "./folders.ts";

const PHOTOS = Array.from({ length: 30 }, (_, i) => `photo-${String(i + 1).padStart(2, "0")}.png`);
const PHONE = { width: 360, height: 740 };

let browser: BrowserSession;
let served: ServedFolder;

beforeAll(async () => {
  // Photos of a camera's shape, 4:3, each its own colour.
  const files = PHOTOS.map((path, i) => ({ path, bytes: png(320, 240, (x, y) => [i * 8, (x + y) % 256, 128]) }));
  served = await serveTree(writeTree(files));
  browser = await BrowserSession.launch();
});

afterEach(async () => {
  const pages = await browser.closeContexts();
  expect(pages.flatMap((watched) => watched.problems)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe("the gallery of 30 photos", () => {
  it("loads the images near the viewport at first, and the others as the page scrolls to them", async () => {
    const { page, requests } = await browser.open(`${served.url}?view=grid`, { viewport: PHONE });
    const images = page.locator("#list img");
    expect(await images.count()).toBe(PHOTOS.length);
    const asked = () => requests.filter((request) => request.startsWith("image ")).length;
    const visible = await images.evaluateAll(
      (elements) => elements.filter((image) => image.getBoundingClientRect().top < innerHeight).length,
    );
    // Every image on screen is asked for, and fewer than all of them: the rest wait.
    await expect.poll(asked, { timeout: WAIT_MS }).toBeGreaterThanOrEqual(visible);
    await page.waitForTimeout(500);
    const atFirst = asked();
    expect(atFirst).toBeLessThan(PHOTOS.length);
    expect(visible).toBeGreaterThan(2);

    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(asked, { timeout: WAIT_MS }).toBe(PHOTOS.length);
    // Each once.
    const each = requests.filter((request) => request.startsWith("image ")).toSorted();
    expect(each).toEqual(PHOTOS.map((name) => `image ${served.url}${name}`).toSorted());
  });

  it("decodes them asynchronously, in boxes kept while they load: nothing on the page moves", async () => {
    const { page } = await browser.open(`${served.url}?view=grid`, { viewport: PHONE });
    await page.evaluate(() => {
      (window as unknown as { shifted: number }).shifted = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          (window as unknown as { shifted: number }).shifted += (entry as unknown as { value: number }).value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    const images = page.locator("#list img");
    expect(await images.evaluateAll((elements) => elements.map((image) => image.getAttribute("decoding")))).toEqual(
      PHOTOS.map(() => "async"),
    );
    // The last image's box, before it loads, is the box it keeps.
    const last = images.last();
    const before = await last.evaluate((image: HTMLImageElement) => ({
      loaded: image.complete && image.naturalWidth > 0,
      height: image.getBoundingClientRect().height,
    }));
    expect(before.loaded).toBe(false);
    expect(before.height).toBeGreaterThan(50);
    for (const image of await images.all()) {
      await image.scrollIntoViewIfNeeded();
      await image.evaluate(
        (element: HTMLImageElement, timeout) =>
          element.complete && element.naturalWidth > 0
            ? undefined
            : new Promise((loaded, failed) => {
                element.addEventListener("load", loaded, { once: true });
                setTimeout(() => failed(new Error(`${element.src} still loading`)), timeout);
              }),
        WAIT_MS,
      );
    }
    expect(await last.evaluate((image) => image.getBoundingClientRect().height)).toBe(before.height);
    expect(await page.evaluate(() => (window as unknown as { shifted: number }).shifted)).toBe(0);
  });
});
