/**
 * Folder downloads in Chromium: a folder within the caps downloads as a file, a folder whose tree
 * is over them shows the page that says why, and a folder over them by its own entries has no link.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BrowserSession } from "./browser.ts";
import { type ServedFolder, serveTree, writeTree } from "./folders.ts";

let browser: BrowserSession;
let served: ServedFolder;

beforeAll(async () => {
  served = await serveTree(
    writeTree([
      { path: "small/a.txt", bytes: "a" },
      { path: "small/b.txt", bytes: "b" },
      // Three entries of its own, within the cap of 5; eleven with the folder below.
      { path: "deep/one.txt", bytes: "1" },
      { path: "deep/two.txt", bytes: "2" },
      ...Array.from({ length: 8 }, (_, i) => ({ path: `deep/inner/f${i}.txt`, bytes: "x" })),
      ...Array.from({ length: 6 }, (_, i) => ({ path: `wide/f${i}.txt`, bytes: "x" })),
    ]),
    { archive: { maxEntries: 5 } },
  );
  browser = await BrowserSession.launch();
});

afterEach(async () => {
  await browser.closeContexts();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe("Download .zip", () => {
  it("downloads a folder within the caps as a file, and the listing stays", async () => {
    const { page, problems } = await browser.open(`${served.url}small/`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download .zip" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("small.zip");
    expect(await download.failure()).toBeNull();
    expect(page.url()).toBe(`${served.url}small/`);
    expect(problems).toEqual([]);
  });

  it("shows why a folder whose tree is over the caps cannot be downloaded", async () => {
    const { page, problems } = await browser.open(`${served.url}deep/`);
    await page.getByRole("link", { name: "Download .zip" }).click();
    await page.waitForURL(`${served.url}deep/?download=zip`);
    expect(await page.locator("h1").textContent()).toBe("403 Forbidden");
    expect(await page.locator("body").textContent()).toContain(
      "This folder is too large to download as an archive. " +
        "It holds more than 5 files and folders; an archive may hold at most 5.",
    );
    // Chromium reports the status of the page it shows, and of the favicon it asks for next (the
    // refusal is a plain page, with no icon of its own); nothing else went wrong.
    const failed = (status: string) =>
      `console error: Failed to load resource: the server responded with a status of ${status} (${page.url()})`;
    // The favicon is asked for after the page has loaded: its report may come a moment later.
    await expect.poll(() => problems.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(problems).toEqual([failed("403 (Forbidden)"), failed("404 (Not Found)")]);
  });

  it("is not offered for a folder over the caps by its own entries", async () => {
    const { page } = await browser.open(`${served.url}wide/`);
    expect(await page.locator(".e").count()).toBe(6);
    expect(await page.getByRole("link", { name: /^Download/ }).count()).toBe(0);
  });
});
