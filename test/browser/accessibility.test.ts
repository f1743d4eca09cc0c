/**
 * The listing page for everyone: no axe-core violation in either colour scheme or view, a
 * keyboard path that starts with the skip link and always shows where focus is, a 320 px phone
 * without sideways scrolling. The run also takes the screenshots (screenshots.ts), so taking them
 * is tested on every run; `pnpm screenshots` copies them to docs/screenshots/.
 */
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "./browser.ts";
import { NESTED, OTHER_FOLDER, ROOT_ENTRY_COUNT } from "./fixture.ts";
import { DESKTOP, SHOTS, TAKEN } from "./screenshots.ts";
import { watchedListing } from "./watched-listing.ts";

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
    const { nodes } = (await session.send("Accessibility.getFullAXTree")) as {
      nodes: { role?: { value?: string }; name?: { value?: string } }[];
    };
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
