/**
 * The listing page in real Chromium, used the way a person uses it: sorting by the headers,
 * filtering, walking the breadcrumbs, the gallery, the page with JavaScript off, times in the
 * viewer's zone. Every page opened is also checked for console errors, CSP violations, and
 * requests beyond the documents and the gallery's images.
 */

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { WAIT_MS } from "./browser.ts";
import { IMAGES, LONG_NAME, NESTED, OTHER_FOLDER, ROOT_ENTRY_COUNT, ROOT_FILES, T0 } from "./fixture.ts";
import { watchedListing } from "./watched-listing.ts";

const listing = watchedListing();

/** The names of the rows (or tiles) a person can see, in order, folders with their `/`. */
const visibleNames = (page: Page) => page.locator("#list .e a:visible").allTextContents();
const shownText = (page: Page) => page.locator("#shown").textContent();
const files = (names: string[]) => names.filter((name) => !name.endsWith("/"));
const bySize = (direction: 1 | -1) =>
  ROOT_FILES.toSorted((a, b) => direction * (a.bytes.length - b.bytes.length)).map((file) => file.name);
const query = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

/** Clicks a column header and waits for the sorted page; returns what `aria-sort` marks. */
async function sortBy(
  page: Page,
  label: "Name" | "Size" | "Modified",
  urlPart: RegExp,
): Promise<{ column: string; sort: string | null }[]> {
  await page
    .locator("thead")
    .getByRole("link", { name: new RegExp(`^${label}`) })
    .click();
  await page.waitForURL(urlPart);
  return page
    .locator("th[aria-sort]")
    .evaluateAll((headers) =>
      headers.map((header) => ({ column: header.textContent ?? "", sort: header.getAttribute("aria-sort") })),
    );
}

describe("sorting and filtering", () => {
  it("clicking the Size header sorts by size and marks it; clicking it again reverses the order", async () => {
    const { page } = await listing.browser.open(listing.url);
    expect(await page.locator("th[aria-sort]").textContent()).toBe("Name ▲");

    expect(await sortBy(page, "Size", /\?sort=size$/)).toEqual([{ column: "Size ▲", sort: "ascending" }]);
    const ascending = await visibleNames(page);
    expect(files(ascending)).toEqual(bySize(1));
    expect(ascending.slice(0, 2).every((name) => name.endsWith("/"))).toBe(true); // folders stay first

    expect(await sortBy(page, "Size", /\?sort=size&order=desc$/)).toEqual([{ column: "Size ▼", sort: "descending" }]);
    expect(files(await visibleNames(page))).toEqual(bySize(-1));
  });

  it("typing in the filter hides the rows that do not match and says how many are shown", async () => {
    const { page } = await listing.browser.open(listing.url);
    expect(await shownText(page)).toBe("");

    await page.locator("#q").pressSequentially("FILE");
    expect(await visibleNames(page)).toEqual([LONG_NAME, "File1.txt", "file2.txt", "file10.txt"]);
    expect(await shownText(page)).toBe(`4 of ${ROOT_ENTRY_COUNT} shown`);

    // Not only ASCII: the folder and the file with "café" in their names, whatever the case.
    await page.locator("#q").fill("CAFÉ");
    expect(await visibleNames(page)).toEqual([`${NESTED[0]}/`, "naïve café.txt"]);
    expect(await shownText(page)).toBe(`2 of ${ROOT_ENTRY_COUNT} shown`);

    await page.locator("#q").fill("");
    expect(await visibleNames(page)).toHaveLength(ROOT_ENTRY_COUNT);
    expect(page.url()).toBe(listing.url); // all in the page: nothing was submitted
  });

  it("keeps a filter typed into the box when a column header or the gallery link is clicked", async () => {
    const { page } = await listing.browser.open(listing.url);
    await page.locator("#q").pressSequentially("file");
    await sortBy(page, "Size", /\?sort=size&q=file$/);
    expect(await page.locator("#q").inputValue()).toBe("file");
    expect(files(await visibleNames(page))).toEqual(bySize(1).filter((name) => name.toLowerCase().includes("file")));
    // Typed again, then cleared: the links follow the box.
    await page.locator("#q").fill("CAFÉ");
    await page.getByRole("link", { name: "Gallery view" }).click();
    await page.waitForURL((url) => url.searchParams.get("view") === "grid");
    expect([query(page, "q"), query(page, "sort")]).toEqual(["CAFÉ", "size"]);
    expect(await visibleNames(page)).toEqual([`${NESTED[0]}/`, "naïve café.txt"]);
    await page.locator("#q").fill("");
    await page.getByRole("link", { name: "List view" }).click();
    await page.waitForURL((url) => url.searchParams.get("view") === null);
    expect(query(page, "q")).toBeNull();
    expect(await visibleNames(page)).toHaveLength(ROOT_ENTRY_COUNT);
  });

  it("works without JavaScript: the header links sort and the form filters, keeping the order", async () => {
    const { page } = await listing.browser.open(listing.url, { javaScriptEnabled: false });
    expect(await sortBy(page, "Size", /\?sort=size$/)).toEqual([{ column: "Size ▲", sort: "ascending" }]);
    expect(files(await visibleNames(page))).toEqual(bySize(1));
    expect(await sortBy(page, "Size", /\?sort=size&order=desc$/)).toEqual([{ column: "Size ▼", sort: "descending" }]);
    expect(files(await visibleNames(page))).toEqual(bySize(-1));

    await page.locator("#q").fill("file");
    await page.locator("#q").press("Enter");
    await page.waitForURL((url) => url.searchParams.get("q") === "file");
    expect([query(page, "sort"), query(page, "order")]).toEqual(["size", "desc"]);
    expect(await visibleNames(page)).toEqual(bySize(-1).filter((name) => name.toLowerCase().includes("file")));
    expect(await shownText(page)).toBe(`4 of ${ROOT_ENTRY_COUNT} shown`);
    expect(await page.locator("#q").inputValue()).toBe("file");
    expect(await page.locator("th[aria-sort]").textContent()).toBe("Size ▼");

    await page.locator("#q").fill("");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === "");
    expect(await visibleNames(page)).toHaveLength(ROOT_ENTRY_COUNT);
  });
});

describe("finding your way", () => {
  it("the breadcrumbs lead back up to each parent folder", async () => {
    const deepest = `${listing.url}${NESTED.map((segment) => `${encodeURIComponent(segment)}/`).join("")}`;
    const { page } = await listing.browser.open(deepest);
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" }).locator("li");
    expect(await crumbs.allTextContents()).toEqual(["/", ...NESTED]);
    expect(await crumbs.last().getAttribute("aria-current")).toBe("page");
    expect(await crumbs.last().locator("a").count()).toBe(0); // the page itself is not a link

    await crumbs.getByRole("link", { name: NESTED[0] }).click();
    await page.waitForURL(`${listing.url}${encodeURIComponent(NESTED[0])}/`);
    expect(await page.locator("h1").textContent()).toBe(`Directory listing for /${NESTED[0]}/`);
    expect(await visibleNames(page)).toEqual([`${NESTED[1]}/`, "inside.txt"]);

    await crumbs.getByRole("link", { name: "/" }).click();
    await page.waitForURL(listing.url);
    expect(await page.locator("h1").textContent()).toBe("Directory listing for /");
    expect(await crumbs.allTextContents()).toEqual(["/"]);
  });

  it("the gallery view shows each image as a lazily loaded thumbnail", async () => {
    const { page, requests } = await listing.browser.open(listing.url);
    await page.getByRole("link", { name: "Gallery view" }).click();
    await page.waitForURL(/\?view=grid$/);
    expect(await visibleNames(page)).toHaveLength(ROOT_ENTRY_COUNT);

    const thumbnails = page.locator("#list img");
    expect(await thumbnails.count()).toBe(Object.keys(IMAGES).length);
    const seen: Record<string, number> = {};
    for (const thumbnail of await thumbnails.all()) {
      expect(await thumbnail.getAttribute("loading")).toBe("lazy");
      expect(await thumbnail.getAttribute("alt")).toBe(""); // the tile's name says what it is
      await thumbnail.scrollIntoViewIfNeeded();
      await thumbnail.evaluate(
        (image: HTMLImageElement, timeout) =>
          image.complete && image.naturalWidth > 0
            ? undefined
            : new Promise((loaded, failed) => {
                image.addEventListener("load", loaded, { once: true });
                image.addEventListener("error", () => failed(new Error(`${image.src} did not load`)), { once: true });
                setTimeout(() => failed(new Error(`${image.src} still loading`)), timeout);
              }),
        WAIT_MS,
      );
      const name = (await thumbnail.locator("xpath=..").textContent()) ?? "";
      seen[name] = await thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth);
      expect(await thumbnail.isVisible()).toBe(true);
    }
    expect(seen).toEqual(IMAGES);
    // The list, the gallery, and each image once: nothing else, not even a favicon.
    const images = Object.keys(IMAGES).map((name) => `image ${listing.url}${encodeURIComponent(name)}`);
    expect(requests.toSorted()).toEqual(
      [`document ${listing.url}`, `document ${listing.url}?view=grid`, ...images].toSorted(),
    );
  });

  it("a list page requests nothing but itself", async () => {
    const { requests } = await listing.browser.open(`${listing.url}${encodeURIComponent(NESTED[0])}/`);
    expect(requests).toEqual([`document ${listing.url}${encodeURIComponent(NESTED[0])}/`]);
  });
});

describe("times", () => {
  const timeOf = (page: Page, name: string) =>
    page.locator("tr.e", { has: page.getByRole("link", { name, exact: true }) }).locator("time");

  it("are shown in the viewer's time zone when JavaScript runs, with the UTC time in the title", async () => {
    const { page } = await listing.browser.open(listing.url, { timezoneId: "Asia/Tokyo" });
    const file1 = ROOT_FILES.find((file) => file.name === "File1.txt");
    const utc = new Date(file1?.mtime ?? T0).toISOString().slice(0, 16).replace("T", " ");
    const tokyo = new Date((file1?.mtime ?? T0) + 9 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
    expect(tokyo).not.toBe(utc);
    expect(await timeOf(page, "File1.txt").textContent()).toBe(tokyo);
    expect(await timeOf(page, "File1.txt").getAttribute("title")).toBe(`${utc} UTC`);

    // Every row, not only one: each text is its datetime moved by +9 h.
    const times = await page
      .locator("time")
      .evaluateAll((elements) =>
        elements.map((element) => [element.getAttribute("datetime") ?? "", element.textContent ?? ""]),
      );
    expect(times).toHaveLength(ROOT_ENTRY_COUNT);
    for (const [datetime, text] of times)
      expect(text).toBe(
        new Date(Date.parse(datetime ?? "") + 9 * 3_600_000).toISOString().slice(0, 16).replace("T", " "),
      );
  });

  it("stay in UTC, as the server wrote them, without JavaScript", async () => {
    const { page } = await listing.browser.open(listing.url, { timezoneId: "Asia/Tokyo", javaScriptEnabled: false });
    const file1 = ROOT_FILES.find((file) => file.name === "File1.txt");
    expect(await timeOf(page, "File1.txt").textContent()).toBe(
      new Date(file1?.mtime ?? T0).toISOString().slice(0, 16).replace("T", " "),
    );
  });
});

describe("a folder's README", () => {
  it("renders below the list, with its table, code and relative links; none of its hostile parts runs", async () => {
    const { page } = await listing.browser.open(`${listing.url}${encodeURIComponent(OTHER_FOLDER)}/`);
    const readme = page.locator("section.readme");
    await expect.poll(() => readme.locator("h1").textContent(), { timeout: WAIT_MS }).toBe("About these files");
    expect(await readme.locator("table td").allTextContents()).toEqual(["2025", "misc", "12"]);
    expect(await readme.locator("pre code").textContent()).toContain("simplehttp --archive");
    expect(
      await readme
        .locator("input[type=checkbox]")
        .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked)),
    ).toEqual([true, false]);
    // The image loads relative to the folder; the relative link leads to the file.
    await expect
      .poll(() => readme.locator("img").evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: WAIT_MS })
      .toBe(IMAGES["chart.png"]);
    const notes = new URL(
      (await readme.getByRole("link", { name: "the notes" }).getAttribute("href")) ?? "",
      page.url(),
    );
    expect(notes.pathname).toBe("/notes%20and%20ideas.md");
    expect((await fetch(notes, { signal: AbortSignal.timeout(WAIT_MS) })).status).toBe(200);
    // The hostile parts: no script, handler, frame or javascript: link made it into the page.
    expect(await page.locator("section.readme :is(script, iframe, svg, [onerror], [onload])").count()).toBe(0);
    expect(await page.locator('section.readme a[href^="javascript" i]').count()).toBe(0);
    for (const text of ["a markdown link", "another"]) {
      const link = readme.getByText(text);
      if ((await link.count()) > 0) await link.first().click();
    }
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
  });

  it("is styled as a document: headings from large to small, columns aligned, quotes set apart", async () => {
    const { page } = await listing.browser.open(`${listing.url}${encodeURIComponent(OTHER_FOLDER)}/`);
    const readme = page.locator("section.readme");
    const style = (selector: string, property: string) =>
      readme
        .locator(selector)
        .first()
        .evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
    const px = async (selector: string) => Number.parseFloat(await style(selector, "font-size"));
    // The page's own title is 20 px; the README's headings are sized as a document's, not by it.
    expect(await px("h1")).toBeGreaterThan(await px("h2"));
    expect(await px("h2")).toBeGreaterThan(await px("h3"));
    expect(await px("h3")).toBeGreaterThan(await px("p"));
    expect(await page.locator("header h1").evaluate((h1) => getComputedStyle(h1).fontSize)).toBe("20px");
    expect([await style("th >> nth=1", "text-align"), await style("td >> nth=1", "text-align")]).toEqual([
      "center",
      "center",
    ]);
    expect([await style("th >> nth=2", "text-align"), await style("td >> nth=2", "text-align")]).toEqual([
      "right",
      "right",
    ]);
    expect(await style("td >> nth=0", "text-align")).toBe("left");
    expect(await readme.locator("blockquote").textContent()).toContain("Quoted from the notes of the year.");
    expect(Number.parseFloat(await style("blockquote", "border-left-width"))).toBeGreaterThanOrEqual(3);
    expect(Number.parseFloat(await style("blockquote", "padding-left"))).toBeGreaterThan(0);
  });

  it("shows a link or an image it refused as plain text: no dead link, no broken image", async () => {
    const { page } = await listing.browser.open(`${listing.url}${encodeURIComponent(OTHER_FOLDER)}/`);
    const readme = page.locator("section.readme");
    for (const text of ["a markdown link", "another", "a tracker"]) {
      const shown = readme.getByText(text, { exact: false });
      expect(await shown.count(), text).toBe(1);
      expect(await shown.evaluate((element) => element.closest("a") === null), text).toBe(true);
      expect(await shown.isVisible(), text).toBe(true);
    }
    // The chart is the one image; the refused one left no <img> behind to show as broken.
    expect(
      await readme.locator("img").evaluateAll((images) => images.map((image) => image.getAttribute("alt"))),
    ).toEqual(["A chart"]);
  });
});
