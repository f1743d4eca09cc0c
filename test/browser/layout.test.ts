/**
 * The listing's layout in Chromium: columns that stay put from folder to folder, long names that
 * wrap beside their icon (and, in the gallery, are clipped to two lines with the whole name on
 * hover), and folders that look like folders.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BrowserSession } from "./browser.ts";
import { type ServedFolder, serveTree, writeTree } from "./folders.ts";

const T0 = Date.UTC(2026, 0, 2, 3, 4);
/** 200 characters without a space: nothing to break at but anywhere. */
const LONGEST = `${"a-long-name-".repeat(16)}end-of-it.txt`.padEnd(200, "z");
const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

let browser: BrowserSession;
let served: ServedFolder;

beforeAll(async () => {
  served = await serveTree(
    writeTree([
      { path: "plain/a.txt", bytes: "a", mtime: T0 },
      { path: "plain/b.txt", bytes: "bb", mtime: T0 },
      { path: "plain/sub/c.txt", bytes: "c", mtime: T0 },
      { path: `mixed/${LONGEST}`, bytes: "x", mtime: T0 },
      { path: "mixed/short.txt", bytes: new Uint8Array(1023 * 1024), mtime: T0 + 86_400_000 },
      { path: "mixed/other.bin", bytes: new Uint8Array(1_234_567), mtime: T0 + 2 * 86_400_000 },
      { path: "mixed/folder/inner.txt", bytes: "i", mtime: T0 },
    ]),
  );
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

/** Each column header's left edge and width, and how wide the widest content of its column is. */
function columns(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll(".files thead th")].map((header, column) => {
      const box = header.getBoundingClientRect();
      const cells = [header, ...document.querySelectorAll(`.files tbody td:nth-child(${column + 1})`)];
      const widest = Math.max(
        ...cells.map((cell) => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          const style = getComputedStyle(cell);
          return range.getBoundingClientRect().width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        }),
      );
      return { label: header.textContent, x: box.x, width: box.width, widest };
    }),
  );
}

describe("the columns", () => {
  it("stay put from folder to folder: Name takes the spare width, Size and Modified fit their content", async () => {
    const { page } = await browser.open(`${served.url}plain/`, { viewport: WIDE });
    const plain = await columns(page);
    await page.goto(`${served.url}mixed/`);
    const mixed = await columns(page);
    const place = (list: typeof plain) => list.map(({ label, x, width }) => ({ label, x, width }));
    expect(place(mixed)).toEqual(place(plain));

    const [name, size, modified] = mixed;
    expect([name?.label, size?.label, modified?.label]).toEqual(["Name ▲", "Size", "Modified"]);
    const table = await page.locator(".files").boundingBox();
    expect((name?.x ?? 0) + (name?.width ?? 0)).toBeCloseTo(size?.x ?? 0, 0);
    expect((modified?.x ?? 0) + (modified?.width ?? 0)).toBeCloseTo((table?.x ?? 0) + (table?.width ?? 0), 0);
    expect(name?.width).toBeGreaterThan(WIDE.width / 2);
    // As wide as what they hold at the widest ("1023 KiB", a time), with little to spare.
    for (const column of [size, modified]) {
      expect(column?.widest, column?.label ?? "").toBeLessThanOrEqual((column?.width ?? 0) + 0.5);
      expect(column?.width, column?.label ?? "").toBeLessThan((column?.widest ?? 0) + 40);
    }
  });
});

describe("a long name", () => {
  for (const [label, viewport] of [
    ["wide", WIDE],
    ["phone", PHONE],
  ] as const) {
    it(`wraps beside its icon, starting on the icon's line (${label})`, async () => {
      const { page } = await browser.open(`${served.url}mixed/`, { viewport });
      const link = page.getByRole("link", { name: LONGEST });
      const placed = await link.evaluate((element) => {
        const cell = element.closest("td") as HTMLElement;
        // The text's own boxes, a line each (the link may be one block box around them).
        const text = document.createRange();
        text.selectNodeContents(element);
        const lines = text.getClientRects();
        const icon = getComputedStyle(cell, "::before");
        const box = cell.getBoundingClientRect();
        return {
          lines: lines.length,
          firstLineTop: lines[0]?.top ?? 0,
          contentTop: box.top + parseFloat(getComputedStyle(cell).paddingTop),
          textLeft: Math.min(...[...lines].map((line) => line.left)),
          iconRight: box.left + parseFloat(getComputedStyle(cell).paddingLeft) + parseFloat(icon.width),
          scrollWidth: document.documentElement.scrollWidth,
        };
      });
      expect(placed.lines).toBeGreaterThan(1);
      // Its first line is the cell's first line, where the icon is; every line starts right of it.
      expect(Math.abs(placed.firstLineTop - placed.contentTop)).toBeLessThan(4);
      expect(placed.textLeft).toBeGreaterThanOrEqual(placed.iconRight);
      expect(placed.scrollWidth).toBeLessThanOrEqual(viewport.width);
    });
  }

  it("is clipped to two lines in the gallery, with the whole name on hover, so its tile is no taller", async () => {
    const { page } = await browser.open(`${served.url}mixed/?view=grid`, { viewport: WIDE });
    const tile = page.locator(".grid li", { has: page.locator(`a[title="${LONGEST}"]`) });
    expect(await tile.count()).toBe(1);
    const heights = await page
      .locator(".grid li")
      .evaluateAll((tiles) => tiles.map((element) => element.getBoundingClientRect().height));
    const lineHeight = await tile.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
    const name = await tile.locator("a").evaluate((link) => {
      const text = link.lastElementChild as HTMLElement;
      return { shown: text.getBoundingClientRect().height, whole: text.scrollHeight };
    });
    expect(name.shown).toBeLessThanOrEqual(2 * lineHeight + 1);
    expect(name.whole).toBeGreaterThan(name.shown);
    // Every tile as tall as one with a short name: the long one stretches no row.
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThan(lineHeight + 1);
    expect(await tile.getByRole("link").getAttribute("title")).toBe(LONGEST);
  });
});

describe("folders", () => {
  /** How much of a row's icon is painted (its mask drawn on a canvas), and in which colour. */
  const icon = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate(async (cell) => {
        const style = getComputedStyle(cell, "::before");
        const image = new Image();
        image.src = /^url\("(.*)"\)$/.exec(style.maskImage || style.webkitMaskImage)?.[1] ?? "";
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = 32;
        canvas.height = 32;
        const context = canvas.getContext("2d");
        context?.drawImage(image, 0, 0, 32, 32);
        const pixels = context?.getImageData(0, 0, 32, 32).data ?? new Uint8ClampedArray();
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 127) painted++;
        return { painted: painted / (32 * 32), colour: style.backgroundColor };
      });

  it("look unlike files at a glance: a filled icon, in a colour of their own", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { page } = await browser.open(`${served.url}mixed/`, { viewport: WIDE, colorScheme });
      const folder = await icon(page, "tr.e td.k-folder");
      const file = await icon(page, "tr.e td.k-text");
      expect(folder.painted, colorScheme).toBeGreaterThan(0.45);
      expect(file.painted, colorScheme).toBeLessThan(0.35);
      expect(folder.colour, colorScheme).not.toBe(file.colour);
    }
  });
});
