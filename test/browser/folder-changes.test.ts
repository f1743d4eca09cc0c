/**
 * Changing a folder from the listing page, in real Chromium, on a share served with upload and
 * delete on: a new folder, a rename (never over a name that is taken), a delete asked for first in
 * a dialog that Cancel and Escape close with nothing deleted, and the whole way by keyboard alone.
 * Each test checks the page and the disk.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { soon, treeOf, writableListing } from "./writable-listing.ts";

const listing = writableListing({ upload: true, delete: true });

const said = (page: Page) => page.locator("#said").textContent();
const names = (page: Page) => page.locator("#list .e a").allTextContents();
/** The row (or tile) of the entry `label`. */
const row = (page: Page, label: string) =>
  page.locator("#list .e").filter({ has: page.getByRole("link", { name: label, exact: true }) });
/** What has focus: its tag, id and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return `${element?.tagName.toLowerCase()}#${element?.id ?? ""} ${(element?.textContent ?? "").trim()}`;
  });

/** A new folder for the test, holding `files` (name → text). */
function folderWith(files: Record<string, string>) {
  const folder = listing.fresh();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder.path, name, ".."), { recursive: true });
    writeFileSync(join(folder.path, name), text);
  }
  return folder;
}

describe("a new folder", () => {
  it("is made from the dialog the New folder button opens, and listed", async () => {
    const folder = folderWith({});
    const { page } = await listing.browser.open(folder.url);
    await page.getByRole("button", { name: "New folder" }).click();
    const dialog = page.getByRole("dialog", { name: "New folder" });
    await dialog.getByLabel("Name").fill("made here");
    await page.keyboard.press("Enter");
    await expect.poll(() => said(page), soon).toBe("Made made here/");
    expect(await dialog.isVisible()).toBe(false);
    expect(await names(page)).toEqual(["made here/"]);
    expect(statSync(join(folder.path, "made here")).isDirectory()).toBe(true);
  });

  it("is refused with the server's reason when the name is taken", async () => {
    const folder = folderWith({ "taken/inside.txt": "x" });
    const { page } = await listing.browser.open(folder.url);
    await page.getByRole("button", { name: "New folder" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("taken");
    await page.getByRole("dialog").getByRole("button", { name: "Create" }).click();
    await expect.poll(() => said(page), soon).toBe("Could not make taken/: something is there");
    expect(treeOf(folder.path)).toEqual({ "taken/inside.txt": "x" });
  });
});

describe("rename", () => {
  it("renames a file from its row: the dialog holds its name, the part before the extension selected", async () => {
    const folder = folderWith({ "old name.txt": "kept\n", "other.txt": "o" });
    const { page } = await listing.browser.open(folder.url);
    await row(page, "old name.txt").getByRole("button", { name: "Rename" }).click();
    const field = page.getByRole("dialog", { name: "Rename old name.txt" }).getByLabel("Name");
    expect(await field.inputValue()).toBe("old name.txt");
    expect(await field.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([
      0, 8,
    ]);
    await field.fill("new name.txt");
    await page.keyboard.press("Enter");
    await expect.poll(() => said(page), soon).toBe("Renamed old name.txt to new name.txt");
    expect(await names(page)).toEqual(["new name.txt", "other.txt"]);
    expect(treeOf(folder.path)).toEqual({ "new name.txt": "kept\n", "other.txt": "o" });
  });

  it("renames a folder with what it holds", async () => {
    const folder = folderWith({ "before/inner.txt": "i" });
    const { page } = await listing.browser.open(folder.url);
    await row(page, "before/").getByRole("button", { name: "Rename" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("after");
    await page.keyboard.press("Enter");
    await expect.poll(() => said(page), soon).toBe("Renamed before/ to after/");
    expect(await names(page)).toEqual(["after/"]);
    expect(treeOf(folder.path)).toEqual({ "after/inner.txt": "i" });
  });

  it("never replaces the file at a name that is taken", async () => {
    const folder = folderWith({ "a.txt": "a", "b.txt": "b" });
    const { page } = await listing.browser.open(folder.url);
    await row(page, "a.txt").getByRole("button", { name: "Rename" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill("b.txt");
    await page.keyboard.press("Enter");
    await expect.poll(() => said(page), soon).toBe("Could not rename a.txt: b.txt exists");
    expect(treeOf(folder.path)).toEqual({ "a.txt": "a", "b.txt": "b" });
  });

  it("does not take a name with a slash, nor . or ..: the dialog stays open and says why", async () => {
    const folder = folderWith({ "a.txt": "a" });
    const { page } = await listing.browser.open(folder.url);
    await row(page, "a.txt").getByRole("button", { name: "Rename" }).click();
    const field = page.getByRole("dialog").getByLabel("Name");
    for (const name of ["../a.txt", "..", "x\\y"]) {
      await field.fill(name);
      await page.keyboard.press("Enter");
      expect(await page.getByRole("dialog").isVisible()).toBe(true);
      expect(await field.evaluate((input: HTMLInputElement) => input.validationMessage)).toMatch(/no \/ or \\/);
    }
    await page.keyboard.press("Escape");
    expect(await page.getByRole("dialog").isVisible()).toBe(false);
    expect(treeOf(folder.path)).toEqual({ "a.txt": "a" });
  });
});

describe("delete", () => {
  it("asks first: Cancel and Escape delete nothing; Delete in the dialog deletes", async () => {
    const folder = folderWith({ "doomed.txt": "d", "kept.txt": "k" });
    const { page } = await listing.browser.open(folder.url);
    const dialog = page.getByRole("dialog", { name: "Delete doomed.txt?" });
    const remove = row(page, "doomed.txt").getByRole("button", { name: "Delete" });

    await remove.click();
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await dialog.isVisible()).toBe(false);
    await remove.click();
    await page.keyboard.press("Escape");
    expect(await dialog.isVisible()).toBe(false);
    expect(await focused(page)).toBe("button# Delete"); // back where it was
    expect(treeOf(folder.path)).toEqual({ "doomed.txt": "d", "kept.txt": "k" });
    expect(await said(page)).toBe("");

    await remove.click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => said(page), soon).toBe("Deleted doomed.txt");
    expect(await names(page)).toEqual(["kept.txt"]);
    expect(treeOf(folder.path)).toEqual({ "kept.txt": "k" });
  });

  it("deletes a folder with everything in it, saying so first", async () => {
    const folder = folderWith({ "old/a.txt": "a", "old/deep/b.txt": "b" });
    const { page } = await listing.browser.open(folder.url);
    await row(page, "old/").getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete old/?" });
    expect(await dialog.getByRole("paragraph").textContent()).toBe("The folder and everything in it will be deleted.");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => said(page), soon).toBe("Deleted old/");
    expect(readdirSync(folder.path)).toEqual([]);
  });

  it("works from the gallery's tiles too", async () => {
    const folder = folderWith({ "tile.txt": "t" });
    const { page } = await listing.browser.open(`${folder.url}?view=grid`);
    await row(page, "tile.txt").getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => said(page), soon).toBe("Deleted tile.txt");
    expect(await page.locator("#list .e").count()).toBe(0);
    expect(existsSync(join(folder.path, "tile.txt"))).toBe(false);
  });
});

describe("by keyboard alone", () => {
  /** Presses Tab until `matches` holds for what has focus; returns each stop on the way. */
  async function tabTo(page: Page, matches: (stop: string) => boolean): Promise<string[]> {
    const stops: string[] = [];
    for (let press = 0; press < 40; press++) {
      await page.keyboard.press("Tab");
      stops.push(await focused(page));
      if (matches(stops.at(-1) ?? "")) return stops;
    }
    throw new Error(`never reached: ${stops.join(", ")}`);
  }

  it("uploads a file (Tab to the picker, Enter), then deletes it (Tab to its Delete, Enter, Enter)", async () => {
    const folder = folderWith({});
    const { page } = await listing.browser.open(folder.url);
    // Waited for from the start: Playwright turns on its interception of file pickers when a test
    // waits for one, and a picker opened before that is the browser's own, which no event reports.
    const chooser = page.waitForEvent("filechooser");
    const stops = await tabTo(page, (stop) => stop.startsWith("button#drop"));
    // The skip link, the breadcrumbs, the filter and the view come first.
    expect(stops).toEqual([
      "a# Skip to the list",
      "a# /",
      "input#q ",
      "button# Filter",
      "a#view Gallery view",
      "button#drop Drop files here, or choose them",
    ]);
    await page.keyboard.press("Enter");
    await (await chooser).setFiles({ name: "typed.txt", mimeType: "text/plain", buffer: Buffer.from("typed\n") });
    await expect.poll(() => said(page), soon).toBe("typed.txt: done");
    expect(treeOf(folder.path)).toEqual({ "typed.txt": "typed\n" });

    // On from the picker: the folder picker, New folder, the column headers, the parent, the row.
    const next = await tabTo(page, (stop) => stop === "button# Delete");
    expect(next).toEqual([
      "button#pickdir Upload a folder",
      "button#mkdir New folder",
      "a# Name ▲",
      "a# Size",
      "a# Modified",
      "a# ../",
      "a# typed.txt",
      "button# Rename",
      "button# Delete",
    ]);
    await page.keyboard.press("Enter");
    expect(await focused(page)).toBe("button#ask-ok Delete"); // the dialog's confirmation has focus
    await page.keyboard.press("Enter");
    await expect.poll(() => said(page), soon).toBe("Deleted typed.txt");
    expect(readdirSync(folder.path)).toEqual([]);
    expect(await focused(page)).toMatch(/^main#list /); // the list, since the row is gone
  });

  it("opens the file picker with Space on the drop zone too", async () => {
    const folder = folderWith({});
    const { page } = await listing.browser.open(folder.url);
    const chooser = page.waitForEvent("filechooser");
    await tabTo(page, (stop) => stop.startsWith("button#drop"));
    await page.keyboard.press("Space");
    expect((await chooser).isMultiple()).toBe(true);
  });
});
