/**
 * Sending files from the listing page, in real Chromium, to a share served with writes on: files
 * from the picker, a folder from the folder picker, files dropped on the page, a 200 MiB upload
 * cancelled half-way, a name that is taken (replaced when the server may), and the plain form
 * with JavaScript off. Each test checks the page and the disk.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { soon, treeOf, writableListing } from "./writable-listing.ts";

/** What the status line says. */
const said = (page: Page) => page.locator("#said").textContent();
/** The names the list shows, folders with their `/`. */
const names = (page: Page) => page.locator("#list .e a").allTextContents();
/** Each upload as the page lists it: its name, and what became of it. */
const jobs = (page: Page) =>
  page
    .locator("#jobs li")
    .evaluateAll((items) =>
      items.map((item) => `${item.querySelector(".n")?.textContent}: ${item.children[2]?.textContent}`),
    );

/** Every byte value, so that an upload that changed any byte would show. */
const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "simplehttp-upload-source-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("with upload and delete on", () => {
  const listing = writableListing({ upload: true, delete: true });

  it("sends two files chosen in the picker: listed without a reload, on disk byte for byte", async () => {
    const folder = listing.fresh();
    const { page } = await listing.browser.open(folder.url);
    // The page is not loaded again: a mark set on it now is still there at the end.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await page.locator("#files").setInputFiles([
      { name: "every byte.bin", mimeType: "application/octet-stream", buffer: EVERY_BYTE },
      { name: "naïve #1.txt", mimeType: "text/plain", buffer: Buffer.from("first file\n") },
    ]);
    await expect.poll(() => said(page), soon).toBe("2 of 2 files uploaded");
    await expect.poll(() => names(page), soon).toEqual(["every byte.bin", "naïve #1.txt"]);
    expect(await jobs(page)).toEqual(["every byte.bin: done", "naïve #1.txt: done"]);
    expect(treeOf(folder.path)).toEqual({
      "every byte.bin": EVERY_BYTE.toString("latin1"),
      "naïve #1.txt": "first file\n",
    });
    expect(await page.evaluate(() => "notReloaded" in window)).toBe(true);
  });

  it("keeps the filter and the local times working on the rows fetched again", async () => {
    const folder = listing.fresh();
    writeFileSync(join(folder.path, "kept report.txt"), "k");
    const { page } = await listing.browser.open(folder.url);
    await page.locator("#q").fill("report"); // typed before: it applies to the new rows too
    await page.locator("#files").setInputFiles([
      { name: "new report.txt", mimeType: "text/plain", buffer: Buffer.from("r") },
      { name: "photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("p") },
    ]);
    await expect.poll(() => said(page), soon).toBe("2 of 2 files uploaded");
    const shown = () => page.locator("#list .e a:visible").allTextContents();
    expect(await shown()).toEqual(["kept report.txt", "new report.txt"]);
    expect(await page.locator("#shown").textContent()).toBe("2 of 3 shown");
    await page.locator("#q").fill("photo");
    expect(await shown()).toEqual(["photo.jpg"]);
    // Every time in the new rows is shown in the viewer's zone, the UTC one in its title.
    const titles = await page
      .locator("#list time")
      .evaluateAll((times) => times.map((time) => (time as HTMLTimeElement).title));
    expect(titles).toHaveLength(3);
    for (const title of titles) expect(title).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  });

  it("sends a folder chosen in the folder picker, with its tree", async () => {
    const folder = listing.fresh();
    const source = join(scratch, "album 2026");
    mkdirSync(join(source, "deep", "deeper"), { recursive: true });
    writeFileSync(join(source, "a.txt"), "a\n");
    writeFileSync(join(source, "deep", "b c.txt"), "b\n");
    writeFileSync(join(source, "deep", "deeper", "d.txt"), "d\n");
    const { page } = await listing.browser.open(folder.url);
    await page.locator("#dir").setInputFiles(source);
    await expect.poll(() => said(page), soon).toBe("3 of 3 files uploaded");
    await expect.poll(() => names(page), soon).toEqual(["album 2026/"]);
    expect(treeOf(folder.path)).toEqual({
      "album 2026/a.txt": "a\n",
      "album 2026/deep/b c.txt": "b\n",
      "album 2026/deep/deeper/d.txt": "d\n",
    });
  });

  it("sends files dropped on the drop zone, which shows that it takes them while they are dragged", async () => {
    const folder = listing.fresh();
    const { page } = await listing.browser.open(folder.url);
    const dragged = await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(["dropped\n"], "dropped.txt", { type: "text/plain" }));
      data.items.add(new File([new Uint8Array([0, 1, 2, 254, 255])], "dropped.bin"));
      return data;
    });
    const zone = page.locator("#drop");
    await zone.dispatchEvent("dragenter", { dataTransfer: dragged });
    await zone.dispatchEvent("dragover", { dataTransfer: dragged });
    expect(await zone.getAttribute("class")).toBe("over");
    await zone.dispatchEvent("drop", { dataTransfer: dragged });
    expect(await zone.getAttribute("class")).toBe("");
    await expect.poll(() => said(page), soon).toBe("2 of 2 files uploaded");
    await expect.poll(() => names(page), soon).toEqual(["dropped.bin", "dropped.txt"]);
    expect(treeOf(folder.path)).toEqual({ "dropped.bin": "\x00\x01\x02\xfe\xff", "dropped.txt": "dropped\n" });
  });

  it("cancels a 200 MiB upload half-way: nothing at the name, no temporary file left", async () => {
    const folder = listing.fresh();
    const big = join(scratch, "big.bin");
    writeFileSync(big, "");
    truncateSync(big, 200 * 1024 ** 2); // sparse: 200 MiB of zeros that take no room
    const { page } = await listing.browser.open(folder.url);
    // Loopback sends 200 MiB in a moment: at 40 MiB/s the upload takes 5 s, and the test has
    // seconds to press Cancel once half of it is sent.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 40 * 1024 ** 2,
    });
    await page.locator("#files").setInputFiles(big);
    const bar = page.getByRole("progressbar", { name: "big.bin" });
    await expect
      .poll(() => bar.evaluate((element) => (element as HTMLProgressElement).value), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(50);
    // The server is writing it: its temporary file is in the folder (docs/writes.md).
    expect(readdirSync(folder.path)).toEqual([expect.stringMatching(/^\.simplehttp-upload-/)]);
    expect(await bar.evaluate((element) => (element as HTMLProgressElement).value)).toBeLessThan(100);
    await page.getByRole("button", { name: "Cancel big.bin" }).click();
    await expect.poll(() => said(page), soon).toBe("big.bin: cancelled");
    await expect.poll(() => readdirSync(folder.path), soon).toEqual([]);
    expect((await fetch(`${folder.url}big.bin`)).status).toBe(404);
    expect(await names(page)).toEqual([]);
  }, 90_000);

  it("shows a name that is taken as exists, and replaces it when asked", async () => {
    const folder = listing.fresh();
    writeFileSync(join(folder.path, "taken.txt"), "the old one\n");
    const { page } = await listing.browser.open(folder.url);
    await page.locator("#files").setInputFiles({
      name: "taken.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("the new one\n"),
    });
    await expect.poll(() => said(page), soon).toBe("taken.txt: exists");
    expect(readFileSync(join(folder.path, "taken.txt"), "utf8")).toBe("the old one\n");
    await page.getByRole("button", { name: "Replace taken.txt" }).click();
    await expect.poll(() => said(page), soon).toBe("taken.txt: replaced");
    expect(treeOf(folder.path)).toEqual({ "taken.txt": "the new one\n" });
    expect(await jobs(page)).toEqual(["taken.txt: replaced"]);
  });

  it("uploads through the plain form when JavaScript is off (the server answers 303 back to the folder)", async () => {
    const folder = listing.fresh();
    const { page } = await listing.browser.open(folder.url, { javaScriptEnabled: false });
    expect(await page.locator("#tools").isVisible()).toBe(false);
    await page.getByLabel("Upload files").setInputFiles([
      { name: "plain one.txt", mimeType: "text/plain", buffer: Buffer.from("one\n") },
      { name: "plain two.bin", mimeType: "application/octet-stream", buffer: EVERY_BYTE },
    ]);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect.poll(() => names(page), soon).toEqual(["plain one.txt", "plain two.bin"]);
    expect(page.url()).toBe(folder.url);
    expect(treeOf(folder.path)).toEqual({
      "plain one.txt": "one\n",
      "plain two.bin": EVERY_BYTE.toString("latin1"),
    });
    // Renaming and deleting need JavaScript (MOVE, DELETE): their buttons are not shown.
    expect(await page.locator(".e button").count()).toBe(4);
    expect(await page.locator(".e button:visible").count()).toBe(0);
  });
});

describe("with upload alone, of files up to 1 KiB", () => {
  const listing = writableListing({ upload: true, maxUploadSize: 1024 });

  it("shows a name that is taken as exists, with no Replace, and no rename or delete on the rows", async () => {
    const folder = listing.fresh();
    writeFileSync(join(folder.path, "taken.txt"), "the old one\n");
    const { page } = await listing.browser.open(folder.url);
    expect(await page.locator(".e button").count()).toBe(0);
    expect(await page.locator("th").allTextContents()).toEqual(["Name ▲", "Size", "Modified"]);
    await page.locator("#files").setInputFiles({ name: "taken.txt", mimeType: "text/plain", buffer: Buffer.from("x") });
    await expect.poll(() => said(page), soon).toBe("taken.txt: exists");
    expect(await page.locator("#jobs button:visible").count()).toBe(0);
    expect(readFileSync(join(folder.path, "taken.txt"), "utf8")).toBe("the old one\n");
  });

  it("sends no file larger than the server takes, and says so; the others go", async () => {
    const folder = listing.fresh();
    const { page, requests } = await listing.browser.open(folder.url);
    await page.locator("#files").setInputFiles([
      { name: "large.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(1025) },
      { name: "small.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(1024) },
    ]);
    await expect.poll(() => said(page), soon).toBe("1 of 2 files uploaded");
    expect(await jobs(page)).toEqual(["large.bin: too large: at most 1.0 KiB", "small.bin: done"]);
    expect(requests.filter((request) => request.startsWith("xhr "))).toEqual([`xhr ${folder.url}small.bin`]);
    expect(treeOf(folder.path)).toEqual({ "small.bin": "\0".repeat(1024) });
  });
});
