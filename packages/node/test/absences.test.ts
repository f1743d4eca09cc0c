/**
 * The record of names missing under the root (core's fs/absences.ts) in the disk layer Node and
 * Bun share: a name missed again and again is answered from it, and it never hides a file made
 * afterwards, nor the file a link under the root leads to once that file is made elsewhere.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeFileSystem } from "../src/index.js";

let root: string;

/** The root's time set a minute back, as if nothing had changed in it lately. */
const settle = (): void => {
  const past = new Date(Date.now() - 60_000);
  utimesSync(root, past, past);
};

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-absences-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("names missing under the root, on the disk", () => {
  it("finds a file made after its name was missed again and again", async () => {
    const fs = nodeFileSystem(root);
    settle();
    for (let i = 0; i < 4; i++) expect(await fs.stat("404.html")).toBeNull();
    writeFileSync(join(root, "404.html"), "<p>ours</p>\n");
    expect((await fs.stat("404.html"))?.kind).toBe("file");
  });

  it("knows the site's rule files missing once missed twice, and not once one of them is made", async () => {
    const fs = nodeFileSystem(root);
    const names = ["_redirects", "_headers"];
    settle();
    expect(fs.knownAbsent?.(names)).toBe(false);
    for (let i = 0; i < 2; i++) for (const name of names) expect(await fs.stat(name)).toBeNull();
    expect(fs.knownAbsent?.(names)).toBe(true);
    writeFileSync(join(root, "_headers"), "/*\n  X-Test: 1\n");
    expect(fs.knownAbsent?.(names)).toBe(false);
    expect((await fs.stat("_headers"))?.kind).toBe("file");
  });

  it("finds the file a link under the root leads to, made in a folder of its own", async () => {
    mkdirSync(join(root, "sub"));
    symlinkSync("sub/target.txt", join(root, "linked.txt"));
    const fs = nodeFileSystem(root);
    settle();
    for (let i = 0; i < 4; i++) expect(await fs.stat("linked.txt")).toBeNull();
    writeFileSync(join(root, "sub/target.txt"), "here\n"); // sub's time changes, not the root's
    expect((await fs.stat("linked.txt"))?.size).toBe(5);
  });
});
