/**
 * Folder downloads as the listing offers them: links only where the archive may be within the
 * caps, links a browser follows (so a refusal shows as a page), and a 400 for a format the server
 * does not make.
 */
import { describe, expect, it } from "vitest";
import { createHandler, type MemoryFile, memoryFileSystem } from "../src/index.js";

const files: Record<string, MemoryFile> = {
  "small/a.txt": "a",
  "small/b.txt": "b",
  // Three entries of its own, within a cap of 5; eleven below it.
  "deep/one.txt": "1",
  "deep/two.txt": "2",
  ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`deep/inner/f${i}.txt`, "x"])),
  // Six entries of its own: over a cap of 5 before anything below it is counted.
  ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`wide/f${i}.txt`, "x"])),
  // Its own files' bytes are over a cap of 100.
  "heavy/big.bin": new Uint8Array(101),
};
const fs = memoryFileSystem(files);
const capped = createHandler({ fs, archive: { maxEntries: 5, maxBytes: 100 } });
const get = async (path: string, method = "GET") => capped(new Request(`http://localhost${path}`, { method }));
const links = async (path: string) =>
  [...(await (await get(path)).text()).matchAll(/<a [^>]*href="\?download=[^>]*>[^<]*<\/a>/g)].map(([link]) => link);

describe("the download links", () => {
  it("are plain links a browser follows, so a refused archive shows its page", async () => {
    expect(await links("/small/")).toEqual([
      '<a href="?download=zip">Download .zip</a>',
      '<a href="?download=tar">Download .tar</a>',
    ]);
  });

  it("are left out where the folder's own entries or bytes are over the caps already", async () => {
    expect(await links("/wide/")).toEqual([]);
    expect(await links("/heavy/")).toEqual([]);
    expect((await get("/wide/?download=zip")).status).toBe(403);
    expect((await get("/heavy/?download=tar")).status).toBe(403);
  });

  it("stay where only the tree below is over the caps: the walk decides, with its page", async () => {
    expect(await links("/deep/")).toHaveLength(2);
    const refused = await get("/deep/?download=zip");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(refused.headers.get("content-disposition")).toBeNull();
  });

  it("offer tar alone where only zip's own count is passed", async () => {
    const many = memoryFileSystem(Object.fromEntries(Array.from({ length: 65_535 }, (_, i) => [`many/${i}`, ""])));
    const handler = createHandler({ fs: many, archive: { maxEntries: 100_000 } });
    // Filtered to nothing, so the page is short: the links follow the folder, not the filter.
    const page = await (await handler(new Request("http://localhost/many/?q=none"))).text();
    expect(page).not.toContain("?download=zip");
    expect(page).toContain('<a href="?download=tar">Download .tar</a>');
  });
});

describe("?download= with a format the server does not make", () => {
  it("is a 400 when archives are on, to GET and HEAD, whatever index page the folder has", async () => {
    for (const query of ["?download=rar", "?download=", "?download=ZIP&sort=size"]) {
      const response = await get(`/small/${query}`);
      expect(response.status, query).toBe(400);
      expect(await response.text(), query).toContain("400");
    }
    const head = await get("/small/?download=7z", "HEAD");
    expect(head.status).toBe(400);
    expect(await head.text()).toBe("");
    const site = createHandler({ fs: memoryFileSystem({ "site/index.html": "<h1>hi</h1>" }), archive: true });
    expect((await site(new Request("http://localhost/site/?download=rar"))).status).toBe(400);
  });

  it("is ignored like any other unknown parameter when archives are off: the listing answers", async () => {
    const plain = createHandler({ fs });
    const response = await plain(new Request("http://localhost/small/?download=rar"));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<a href="a.txt">a.txt</a>');
  });
});
