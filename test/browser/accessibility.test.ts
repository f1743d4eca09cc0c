/**
 * The listing page for everyone: no axe-core violation in either colour scheme or view, a
 * keyboard path that starts with the skip link and always shows where focus is, a 320 px phone
 * without sideways scrolling; the same of a share that takes uploads, in each of its states. The
 * run also takes the screenshots (screenshots.ts), so taking them is tested on every run;
 * `pnpm screenshots` copies them to docs/screenshots/.
 */
import { mkdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "./browser.ts";
import { NESTED, OTHER_FOLDER, ROOT_ENTRY_COUNT, ROOT_FILES, T0 } from "./fixture.ts";
import { DESKTOP, SHOTS, TAKEN, UPLOAD_SHOT } from "./screenshots.ts";
import { watchedListing } from "./watched-listing.ts";
import { soon, writableListing } from "./writable-listing.ts";

const listing = watchedListing();

const nested = () => `${encodeURIComponent(NESTED[0])}/`;

describe("axe-core finds no violation", () => {
  const light: BrowserContextOptions = { colorScheme: "light" };
  const dark: BrowserContextOptions = { colorScheme: "dark" };
  it.each([
    { page: "the list, light", path: () => "", options: light },
    { page: "the list, dark", path: () => "", options: dark },
    { page: "the gallery, light", path: () => "?view=grid", options: light },
    { page: "the gallery, dark", path: () => "?view=grid", options: dark },
    { page: "a sub-folder with its parent row, dark", path: nested, options: dark },
    { page: "a list filtered by the server", path: () => "?q=file&sort=size", options: light },
    { page: "a filter that matches nothing", path: () => "?q=nothing-like-this", options: light },
    { page: "a list filtered as you type", path: () => "", options: dark, typed: "café" },
    { page: "a folder with its README, light", path: () => `${encodeURIComponent(OTHER_FOLDER)}/`, options: light },
    { page: "a folder with its README, dark", path: () => `${encodeURIComponent(OTHER_FOLDER)}/`, options: dark },
  ])("on $page", async ({ path, options, typed }) => {
    const { page } = await listing.browser.open(`${listing.url}${path()}`, { viewport: DESKTOP, ...options });
    if (typed) await page.locator("#q").fill(typed);
    expect((await axeViolations(page)).join("\n")).toBe("");
  });
});

/** What has keyboard focus: its tag, class or id, text, and how its outline is drawn. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
      tag: element.tagName.toLowerCase(),
      id: element.id,
      className: element.className,
      text: (element.textContent ?? "").trim(),
      insideList: element.closest("#list") !== null,
      outline:
        style.outlineStyle === "none" || parseFloat(style.outlineWidth) === 0
          ? "none"
          : `${style.outlineWidth} ${style.outlineStyle}`,
      onScreen:
        box.width > 0 &&
        box.height > 0 &&
        box.left >= 0 &&
        box.top >= 0 &&
        box.right <= innerWidth &&
        box.bottom <= innerHeight,
    };
  });
}

describe("the keyboard", () => {
  it("reaches the skip link first, sees it, and follows it to the list", async () => {
    const { page } = await listing.browser.open(listing.url, { viewport: DESKTOP });
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({
      tag: "a",
      className: "skip",
      text: "Skip to the list",
      onScreen: true,
    });
    await page.keyboard.press("Enter");
    expect(await focused(page)).toMatchObject({ tag: "main", id: "list" });
    expect(new URL(page.url()).hash).toBe("#list");
    // The next Tab continues in the list, past the breadcrumbs and the filter.
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ insideList: true, text: "Name ▲" });
  });

  it("shows a visible outline on every Tab stop, in both colour schemes", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page } = await listing.browser.open(`${listing.url}${nested()}`, { viewport: DESKTOP, colorScheme });
      const stops: string[] = [];
      for (let press = 0; press < 40; press++) {
        await page.keyboard.press("Tab");
        const now = await focused(page);
        if (now === null) break; // focus left the page: every stop was visited
        expect(now.outline, `${colorScheme}: ${now.tag} "${now.text}"`).not.toBe("none");
        stops.push(now.text);
      }
      // Skip link, "/" crumb, filter, button, gallery link, three headers, "../", two entries.
      expect(stops).toEqual([
        "Skip to the list",
        "/",
        "",
        "Filter",
        "Gallery view",
        "Name ▲",
        "Size",
        "Modified",
        "../",
        `${NESTED[1]}/`,
        "inside.txt",
      ]);
    }
  });
});

describe("what assistive technology is told", () => {
  it("the list is a table of rows, cells and sortable column headers, though laid out as flex boxes", async () => {
    const { page } = await listing.browser.open(listing.url, { viewport: DESKTOP });
    const session = await page.context().newCDPSession(page);
    // Chromium's own accessibility tree, as a screen reader gets it (axe reads the DOM instead).
    // Chromium builds it after layout, and a busy machine may ask before the rows' groups (laid out
    // with content-visibility: auto) are in it: asked again until every row is, for 5 s at most.
    type AxNode = { role?: { value?: string }; name?: { value?: string } };
    const tree = async () => ((await session.send("Accessibility.getFullAXTree")) as { nodes: AxNode[] }).nodes;
    let nodes = await tree();
    const rowCount = () => nodes.filter((node) => node.role?.value === "row").length;
    for (const until = Date.now() + 5000; rowCount() < ROOT_ENTRY_COUNT + 1 && Date.now() < until; ) {
      await page.waitForTimeout(100);
      nodes = await tree();
    }
    const roles = (role: string) => nodes.filter((node) => node.role?.value === role);
    expect(roles("table")).toHaveLength(1);
    expect(roles("columnheader").map((node) => node.name?.value)).toEqual(["Name ▲", "Size", "Modified"]);
    expect(roles("row")).toHaveLength(ROOT_ENTRY_COUNT + 1);
    expect(roles("cell")).toHaveLength(3 * ROOT_ENTRY_COUNT);
    await session.detach();
  });
});

describe("the layout", () => {
  it("starts with the breadcrumbs at the top: nothing invisible takes room above them", async () => {
    const { page } = await listing.browser.open(listing.url, { viewport: DESKTOP });
    const top = await page
      .getByRole("navigation", { name: "Breadcrumb" })
      .evaluate((nav) => nav.getBoundingClientRect().top);
    expect(top).toBeLessThan(40); // the body's padding, not the 150 px of an unhidden icon sprite
  });

  it.each(["", "?view=grid", nested(), "?q=file"])("fit 320 px without scrolling sideways (%s)", async (path) => {
    const { page } = await listing.browser.open(`${listing.url}${path}`, { viewport: { width: 320, height: 640 } });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });
});

describe("the screenshots (test/output/screenshots/; pnpm screenshots copies them to docs/)", () => {
  it("are taken light, dark, and on a phone", async () => {
    mkdirSync(TAKEN, { recursive: true });
    for (const [name, options] of SHOTS) {
      const { page } = await listing.browser.open(listing.url, { deviceScaleFactor: 1, ...options });
      expect(await page.locator("#list .e").count()).toBe(ROOT_ENTRY_COUNT);
      await page.screenshot({ path: join(TAKEN, name), animations: "disabled" });
      expect(statSync(join(TAKEN, name)).size).toBeGreaterThan(5_000);
    }
  });
});

describe("a writable listing (upload and delete on)", () => {
  const writable = writableListing({ upload: true, delete: true });

  /**
   * A new folder of seven of the fixture's files and a folder, with their times: the page the tests
   * look at. Names in Latin letters: the screenshot's Chromium has no Japanese font.
   */
  function filled(name?: string) {
    const folder = writable.fresh(name);
    for (const { name, bytes, mtime } of ROOT_FILES.filter((file) =>
      /^[\p{Script=Latin}\P{L}]+$/u.test(file.name),
    ).slice(0, 7)) {
      writeFileSync(join(folder.path, name), bytes);
      utimesSync(join(folder.path, name), mtime / 1000, mtime / 1000);
    }
    mkdirSync(join(folder.path, "photos"));
    utimesSync(join(folder.path, "photos"), T0 / 1000, T0 / 1000);
    return folder;
  }

  /** Sends a file whose name is taken and a new one: the uploads list shows both outcomes. */
  async function uploadTwo(page: Page): Promise<void> {
    await page.locator("#files").setInputFiles([
      { name: ROOT_FILES[0]?.name ?? "", mimeType: "text/plain", buffer: Buffer.from("again") },
      { name: "new.txt", mimeType: "text/plain", buffer: Buffer.from("new") },
    ]);
    await expect.poll(() => page.locator("#said").textContent(), soon).toBe("1 of 2 files uploaded");
  }
  /**
   * The page as it is without JavaScript: the plain form shown, the tools and the rows' buttons
   * not. (axe runs in the page, so it cannot look at a page whose JavaScript is off.)
   */
  async function asWithoutScript(page: Page): Promise<void> {
    await page.evaluate(() => {
      (document.getElementById("send") as HTMLElement).hidden = false;
      (document.getElementById("tools") as HTMLElement).hidden = true;
      document.documentElement.classList.remove("js");
    });
  }
  const openDialog = (button: "Rename" | "Delete") => async (page: Page) => {
    await page.locator("#list .e").first().getByRole("button", { name: button }).click();
    expect(await page.getByRole("dialog").isVisible()).toBe(true);
  };

  interface State {
    state: string;
    options: BrowserContextOptions;
    path?: string;
    act?: (page: Page) => Promise<void>;
  }
  const light: BrowserContextOptions = { colorScheme: "light" };
  const dark: BrowserContextOptions = { colorScheme: "dark" };
  it.each<State>([
    { state: "the list, light", options: light },
    { state: "the list, dark", options: dark },
    { state: "the gallery, dark", options: dark, path: "?view=grid" },
    { state: "uploads done and refused, light", options: light, act: uploadTwo },
    { state: "uploads done and refused, dark", options: dark, act: uploadTwo },
    { state: "the rename dialog, light", options: light, act: openDialog("Rename") },
    { state: "the delete dialog, dark", options: dark, act: openDialog("Delete") },
    { state: "the plain form, as without JavaScript", options: light, act: asWithoutScript },
  ])("axe-core finds no violation: $state", async ({ options, path = "", act }) => {
    const { page } = await writable.browser.open(`${filled().url}${path}`, { viewport: DESKTOP, ...options });
    await act?.(page);
    expect((await axeViolations(page)).join("\n")).toBe("");
  });

  it("shows a visible outline on every Tab stop, the upload tools and the rows' buttons too", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page } = await writable.browser.open(filled().url, { viewport: DESKTOP, colorScheme });
      const stops: string[] = [];
      for (let press = 0; press < 60; press++) {
        await page.keyboard.press("Tab");
        const now = await focused(page);
        if (now === null) break;
        expect(now.outline, `${colorScheme}: ${now.tag} "${now.text}"`).not.toBe("none");
        stops.push(now.text);
      }
      expect(stops.slice(5, 8)).toEqual(["Drop files here, or choose them", "Upload a folder", "New folder"]);
      // Every entry: its link, Rename, Delete.
      expect(stops.filter((stop) => stop === "Delete")).toHaveLength(8);
    }
  });

  it.each<State>([
    { state: "the list", options: {} },
    { state: "uploads listed", options: {}, act: uploadTwo },
  ])("fits 320 px without scrolling sideways: $state", async ({ act }) => {
    const { page } = await writable.browser.open(filled().url, { viewport: { width: 320, height: 640 } });
    await act?.(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });

  it("the screenshots: an upload on its way, and one whose name is taken", async () => {
    const folder = filled("Shared with the team");
    const { page } = await writable.browser.open(folder.url, { deviceScaleFactor: 1, ...SHOTS[0]?.[1] });
    // Slowed to 256 KiB/s, so that the upload is still on its way when the picture is taken.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    const slow = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 };
    await cdp.send("Network.emulateNetworkConditions", slow);
    await page.locator("#files").setInputFiles([
      { name: ROOT_FILES[3]?.name ?? "", mimeType: "text/markdown", buffer: Buffer.from("again") },
      { name: "holiday video.mp4", mimeType: "video/mp4", buffer: Buffer.alloc(4 * 1024 ** 2) },
    ]);
    const bar = page.getByRole("progressbar", { name: "holiday video.mp4" });
    await expect
      .poll(() => bar.evaluate((element) => (element as HTMLProgressElement).value), soon)
      .toBeGreaterThan(10);
    mkdirSync(TAKEN, { recursive: true });
    await page.screenshot({ path: join(TAKEN, UPLOAD_SHOT), animations: "disabled" });
    expect(statSync(join(TAKEN, UPLOAD_SHOT)).size).toBeGreaterThan(5_000);
    await page.getByRole("button", { name: "Cancel holiday video.mp4" }).click();
    await expect.poll(() => page.locator("#said").textContent(), soon).toBe("0 of 2 files uploaded");
  });
});
