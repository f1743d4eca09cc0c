/**
 * Live reload's watcher on node:fs (src/watch.ts under core's live/tree.ts), on a real folder:
 * what an editor and a build do to it, and what it must never watch.
 */
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Changes, changeFeed, ignoredByDefault, type TreeWatch, watchTree } from "@simplehttp/core/live";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { nodeFolderWatcher } from "../src/watch.js";

let root: string;
let watch: TreeWatch;
let batches: Changes[] = [];
const failures: unknown[] = [];

beforeAll(async () => {
  root = join(realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-watch-"))), "site");
  for (let i = 0; i < 200; i++) mkdirSync(join(root, "node_modules", `p${i}`, "lib"), { recursive: true });
  mkdirSync(join(root, ".git", "objects"), { recursive: true });
  mkdirSync(join(root, "css"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<p>1</p>");
  writeFileSync(join(root, "css", "site.css"), "p{}");
  const feed = changeFeed({ quietMs: 20 });
  feed.subscribe((changes) => batches.push(changes));
  watch = await watchTree(
    nodeFolderWatcher(root, (error) => failures.push(error)),
    feed,
    ignoredByDefault,
  );
});
afterEach(() => {
  batches = [];
});
afterAll(() => {
  watch?.close();
  rmSync(join(root, ".."), { recursive: true, force: true });
});

/** The paths of every batch so far, once `until` holds (2 s at most). */
async function changed(until: (paths: Set<string | null>) => boolean): Promise<Set<string | null>> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const paths = new Set<string | null>(
      batches.flatMap((batch): (string | null)[] => (batch === null ? [null] : [...batch])),
    );
    if (until(paths) || Date.now() > deadline) return paths;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const quiet = () => new Promise((resolve) => setTimeout(resolve, 150));

describe("the watcher", () => {
  it("watches each folder but node_modules and dot-folders: none of their folders costs a watch", () => {
    expect([...watch.folders].sort()).toEqual(["", "css"]);
    expect(failures).toEqual([]);
  });

  it("reports a file saved in place, and one saved by an editor's rename over it, again and again", async () => {
    writeFileSync(join(root, "index.html"), "<p>2</p>");
    expect(await changed((paths) => paths.has("index.html"))).toContain("index.html");
    for (const round of [1, 2]) {
      batches = [];
      writeFileSync(join(root, "css", `.site.css.${round}.tmp`), `p{color:red}/*${round}*/`);
      renameSync(join(root, "css", `.site.css.${round}.tmp`), join(root, "css", "site.css"));
      const paths = await changed((seen) => seen.has("css/site.css"));
      expect(paths).toContain("css/site.css");
      // The temp file is a dot-name: never reported.
      expect([...paths].some((path) => path?.includes(".tmp"))).toBe(false);
    }
  });

  it("watches a folder made after it started, saying that what it held first cannot be named", async () => {
    mkdirSync(join(root, "posts"));
    expect(await changed((paths) => paths.has(null))).toContain(null);
    await quiet();
    batches = [];
    writeFileSync(join(root, "posts", "new.html"), "<p>new</p>");
    expect(await changed((paths) => paths.has("posts/new.html"))).toContain("posts/new.html");
    expect(watch.folders.has("posts")).toBe(true);
  });

  it("drops a folder removed, and reports nothing under node_modules or .git", async () => {
    mkdirSync(join(root, "gone"));
    await changed((paths) => paths.has(null));
    await quiet();
    rmSync(join(root, "gone"), { recursive: true });
    await changed((paths) => paths.has("gone"));
    await quiet();
    expect(watch.folders.has("gone")).toBe(false);
    batches = [];
    writeFileSync(join(root, "node_modules", "p1", "lib", "i.js"), "x");
    writeFileSync(join(root, ".git", "objects", "o"), "x");
    await quiet();
    expect(batches).toEqual([]);
  });
});
