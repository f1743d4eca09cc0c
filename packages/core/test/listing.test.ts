import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listedEntries, listedLabels } from "../../../test/support/listing.ts";
import { createHandler, type ListingJson, memoryFileSystem } from "../src/index.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const fs = memoryFileSystem(
  {
    "docs/file10.txt": { content: "x".repeat(10), mtime: T0 + 3 * DAY },
    "docs/file2.txt": { content: "x".repeat(2000), mtime: T0 + 1 * DAY },
    "docs/File1.txt": { content: "x", mtime: T0 + 2 * DAY },
    "docs/photo.JPG": { content: "jpeg", mtime: T0 },
    "docs/song.mp3": { content: "mp3", mtime: T0 },
    "docs/report.pdf": { content: "pdf", mtime: T0 },
    "docs/app.ts": { content: "ts", mtime: T0 },
    "docs/bundle.tar.gz": { content: "gz", mtime: T0 },
    "docs/big.bin": { content: new Uint8Array(1_234_567), mtime: T0 },
    "docs/Zeta/inner.txt": "z",
    "docs/alpha/inner.txt": "a",
    "docs/.secret": "hidden",
    "docs/line\nbreak.txt": "odd",
    "docs/100%.txt": "percent",
    "empty/": "",
  },
  { mtime: T0 },
);
const handler = createHandler({ fs });
const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  handler(new Request(`http://localhost${path}`, { headers, method }));
const page = async (path: string, headers: Record<string, string> = {}) => (await get(path, headers)).text();

describe("sorting (directories first, then names in natural, case-insensitive order)", () => {
  it("sorts file2 before file10 and File1 before both, folders first", async () => {
    expect(listedLabels(await page("/docs/?q=file"))).toEqual(["File1.txt", "file2.txt", "file10.txt"]);
    expect(listedLabels(await page("/docs/")).slice(0, 2)).toEqual(["alpha/", "Zeta/"]);
  });

  it("sorts by size and by modification time, either way, with folders still first", async () => {
    expect(listedLabels(await page("/docs/?sort=size&q=file"))).toEqual(["File1.txt", "file10.txt", "file2.txt"]);
    expect(listedLabels(await page("/docs/?sort=size&order=desc&q=file"))).toEqual([
      "file2.txt",
      "file10.txt",
      "File1.txt",
    ]);
    expect(listedLabels(await page("/docs/?sort=mtime&q=file"))).toEqual(["file2.txt", "File1.txt", "file10.txt"]);
    expect(listedLabels(await page("/docs/?sort=mtime&order=desc")).slice(0, 2)).toEqual(["Zeta/", "alpha/"]);
  });

  it("links each header to its sort, reversing the current one, and marks the current one with aria-sort", async () => {
    const html = await page("/docs/?sort=size");
    expect(html).toContain('<th scope="col"><a href=".">Name</a></th>');
    expect(html).toContain(
      '<th scope="col" aria-sort="ascending"><a href="?sort=size&amp;order=desc">Size &#9650;</a></th>',
    );
    expect(await page("/docs/?sort=size&order=desc")).toContain(
      'aria-sort="descending"><a href="?sort=size">Size &#9660;</a>',
    );
    expect(await page("/docs/")).toContain(
      '<th scope="col" aria-sort="ascending"><a href="?order=desc">Name &#9650;</a></th>',
    );
  });

  it("ignores values it does not know instead of failing", async () => {
    const response = await get("/docs/?sort=colour&order=sideways&view=3d&format=pdf");
    expect(response.status).toBe(200);
    expect(listedLabels(await response.text())).toEqual(listedLabels(await page("/docs/")));
  });
});

describe("the filter (?q=)", () => {
  it("keeps the names that hold the text, ignoring case, and says how many are shown", async () => {
    const html = await page("/docs/?q=FILE1");
    expect(listedLabels(html)).toEqual(["File1.txt", "file10.txt"]);
    expect(html).toContain('<span id="shown" class="muted" aria-live="polite">2 of 13 shown</span>');
    expect(html).toContain('<input id="q" name="q" type="search" value="FILE1" autocomplete="off">');
  });

  it("keeps the chosen order in the form and in the header links", async () => {
    const html = await page("/docs/?q=file&sort=size&order=desc");
    expect(html).toContain(
      '<input type="hidden" name="sort" value="size"><input type="hidden" name="order" value="desc">',
    );
    expect(html).toContain('href="?sort=mtime&amp;q=file"');
  });

  it("says so when nothing matches", async () => {
    const html = await page("/docs/?q=nothing-like-this");
    expect(listedEntries(html)).toEqual([]);
    expect(html).toContain("No names match the filter.");
  });
});

describe("the page", () => {
  it("links every folder of the path, with the mount prefix, but not the page itself", async () => {
    const mounted = createHandler({ fs, prefix: "/static" });
    const html = await (await mounted(new Request("http://localhost/static/docs/alpha/"))).text();
    expect(html).toContain(
      '<nav aria-label="Breadcrumb"><ol><li><a href="/static/">/static</a></li>' +
        '<li><a href="/static/docs/">docs</a></li><li aria-current="page">alpha</li></ol></nav>',
    );
    expect(await page("/")).toContain('<nav aria-label="Breadcrumb"><ol><li aria-current="page">/</li></ol></nav>');
  });

  it("shows sizes for people, the exact count in a title, and times as UTC <time> elements", async () => {
    const big = listedEntries(await page("/docs/")).find((entry) => entry.label === "big.bin");
    expect(big?.size).toBe("1.2 MiB");
    const html = await page("/docs/");
    expect(html).toContain(
      '<td title="1234567 bytes">1.2 MiB<td><time datetime=2026-01-02T03:04Z>2026-01-02 03:04</time>\n',
    );
    expect(html).toContain('<td title="1 byte">1 B<td>');
  });

  it("draws an icon per kind from the page's own style sheet, and requests nothing else", async () => {
    const html = await page("/docs/");
    const icon = (name: string) =>
      new RegExp(`<td class=k-([a-z]+)><a href="[^"]*">${name.replace(".", "\\.")}</a>`).exec(html)?.[1];
    expect(
      Object.fromEntries(
        ["alpha/", "photo.JPG", "song.mp3", "report.pdf", "app.ts", "bundle.tar.gz", "file2.txt", "big.bin"].map(
          (name) => [name, icon(name)],
        ),
      ),
    ).toEqual({
      "alpha/": "folder",
      "photo.JPG": "image",
      "song.mp3": "audio",
      "report.pdf": "pdf",
      "app.ts": "code",
      "bundle.tar.gz": "archive",
      "file2.txt": "text",
      "big.bin": "file",
    });
    // Each kind's icon is defined once, as a data: URL in the style sheet.
    expect(html.match(/\.k-[a-z]+\{--i:url\("data:image\/svg\+xml,/g)).toHaveLength(9);
    // No stylesheet, script, font or image is fetched: everything is inline (the favicon too).
    expect(html).not.toMatch(/<link rel="stylesheet"|<script src|url\((?!"data:)|@import/);
    expect(html).toContain('<link rel="icon" href="data:,">');
  });

  it("shows the folder as tiles with lazy thumbnails of its images in the gallery view", async () => {
    const html = await page("/docs/?view=grid");
    expect(html).toContain(
      '<li class=e><a href="photo.JPG" title="photo.JPG"><img src="photo.JPG" alt="" loading=lazy decoding=async>' +
        "<span>photo.JPG</span></a>\n",
    );
    expect(html).toContain(
      '<li class=e><a href="song.mp3" title="song.mp3"><i class=k-audio></i><span>song.mp3</span></a>\n',
    );
    expect(html).toContain('<a id="view" href=".">List view</a>');
    expect(await page("/docs/")).toContain('<a id="view" href="?view=grid">Gallery view</a>');
  });

  it("offers a skip link to the list, and says when a folder is empty", async () => {
    const html = await page("/empty/");
    expect(html).toContain('<a class="skip" href="#list">Skip to the list</a>');
    expect(html).toContain('<main id="list" tabindex="-1">');
    expect(html).toContain("This folder is empty.");
  });

  it("allows only its own inline style and script, by hash, and forbids sniffing", async () => {
    const response = await get("/docs/");
    const html = await response.text();
    const inline = (tag: string) => new RegExp(`<${tag}>([^]*?)</${tag}>`).exec(html)?.[1] ?? "";
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain(`style-src ${hash(inline("style"))};`);
    expect(policy).toContain(`script-src ${hash(inline("script"))};`);
    expect(policy).toMatch(/^default-src 'none';/);
    expect(policy).not.toContain("unsafe");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/ style="| on[a-z]+="/);
  });

  it("spends well under 300 bytes of HTML per entry beyond the names", async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `entry-${String(i).padStart(4, "0")}.txt`);
    const many = createHandler({
      fs: memoryFileSystem(Object.fromEntries(names.map((name) => [`d/${name}`, "x".repeat(1000)])), { mtime: T0 }),
    });
    const empty = createHandler({ fs: memoryFileSystem({ "d/": "" }, { mtime: T0 }) });
    const full = (await (await many(new Request("http://localhost/d/"))).arrayBuffer()).byteLength;
    const base = (await (await empty(new Request("http://localhost/d/"))).arrayBuffer()).byteLength;
    const perEntry = (full - base - 2 * names.reduce((sum, name) => sum + name.length, 0)) / names.length;
    expect(perEntry).toBeLessThan(300);
    expect(perEntry).toBeGreaterThan(100); // the test measures rows, not nothing
  });
});

describe("for scripts: JSON and text", () => {
  it("answers JSON for Accept: application/json, with kinds, sizes, ISO times and URLs with the prefix", async () => {
    const mounted = createHandler({ fs, prefix: "/files" });
    const response = await mounted(
      new Request("http://localhost/files/docs/", { headers: { accept: "application/json" } }),
    );
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("vary")).toBe("Accept, Accept-Encoding");
    const listing = (await response.json()) as ListingJson;
    expect(listing.path).toBe("/files/docs/");
    expect(listing.entries.slice(0, 2)).toEqual([
      { name: "alpha", kind: "directory", size: null, mtime: new Date(T0).toISOString(), url: "/files/docs/alpha/" },
      { name: "Zeta", kind: "directory", size: null, mtime: new Date(T0).toISOString(), url: "/files/docs/Zeta/" },
    ]);
    expect(listing.entries.find((entry) => entry.name === "100%.txt")).toEqual({
      name: "100%.txt",
      kind: "file",
      size: 7,
      mtime: new Date(T0).toISOString(),
      url: "/files/docs/100%25.txt",
    });
  });

  it("answers ?format=json with the order asked, and ?format=html with the page whatever Accept says", async () => {
    const listing = (await (await get("/docs/?format=json&sort=size&order=desc&q=file")).json()) as ListingJson;
    expect(listing.entries.map((entry) => entry.name)).toEqual(["file2.txt", "file10.txt", "File1.txt"]);
    const forced = await get("/docs/?format=html", { accept: "application/json" });
    expect(forced.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("answers one name per line for text/plain, folders with a slash, % and line breaks percent-encoded", async () => {
    const response = await get("/docs/?q=e", { accept: "text/plain" });
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe(
      "Zeta/\nbundle.tar.gz\nFile1.txt\nfile2.txt\nfile10.txt\nline%0Abreak.txt\nreport.pdf\n",
    );
    expect(await (await get("/docs/?format=text&q=100")).text()).toBe("100%25.txt\n");
  });

  it("gives the page to browsers and to clients that accept anything", async () => {
    for (const accept of ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*", ""]) {
      expect((await get("/docs/", accept === "" ? {} : { accept })).headers.get("content-type"), accept).toBe(
        "text/html; charset=utf-8",
      );
    }
  });
});

describe("the listing's validator (RFC 9110 §8.8.3, §13.1.2)", () => {
  it("answers If-None-Match with 304 while nothing changed, for each format apart", async () => {
    for (const format of ["html", "json", "text"]) {
      const first = await get(`/docs/?format=${format}`);
      const tag = first.headers.get("etag") ?? "";
      expect(tag).toMatch(/^W\/"[0-9a-z]+-[0-9a-z]+"$/);
      const again = await get(`/docs/?format=${format}`, { "if-none-match": tag });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(tag);
      expect(again.headers.get("vary")).toBe("Accept, Accept-Encoding");
      expect(again.body).toBeNull();
    }
    const tags = await Promise.all(
      ["html", "json", "text"].map(async (format) => (await get(`/docs/?format=${format}`)).headers.get("etag")),
    );
    expect(new Set(tags).size).toBe(3);
  });

  it("changes the tag when any entry changes: a name, a size, a time, or an entry added", async () => {
    const tagOf = async (files: Record<string, { content: string; mtime: number }>) =>
      (
        await createHandler({ fs: memoryFileSystem(files, { mtime: T0 }) })(new Request("http://localhost/"))
      ).headers.get("etag");
    const base = { "a.txt": { content: "aa", mtime: T0 }, "b.txt": { content: "b", mtime: T0 } };
    const tags = await Promise.all([
      tagOf(base),
      tagOf({ ...base, "a.txt": { content: "aaa", mtime: T0 } }),
      tagOf({ ...base, "a.txt": { content: "aa", mtime: T0 + 1 } }),
      tagOf({ "a.txt": base["a.txt"], "c.txt": base["b.txt"] }),
      tagOf({ ...base, "d.txt": { content: "", mtime: T0 } }),
    ]);
    expect(new Set(tags).size).toBe(5);
    expect(await tagOf(base)).toBe(tags[0]);
  });

  it("changes the tag with the order and the filter asked", async () => {
    const tags = await Promise.all(
      ["", "?sort=size", "?order=desc", "?q=a", "?view=grid"].map(async (query) =>
        (await get(`/docs/${query}`)).headers.get("etag"),
      ),
    );
    expect(new Set(tags).size).toBe(5);
  });

  it("answers HEAD with the headers and no body", async () => {
    const [full, head] = [await get("/docs/"), await get("/docs/", {}, "HEAD")];
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(full.headers.get("content-length"));
    expect(head.headers.get("etag")).toBe(full.headers.get("etag"));
    expect(head.body).toBeNull();
  });
});

describe("folder downloads (archive)", () => {
  const archived = createHandler({ fs, archive: true });

  it("links .zip and .tar downloads only when archives are on", async () => {
    const on = await (await archived(new Request("http://localhost/docs/"))).text();
    expect(on).toContain('<a href="?download=zip">Download .zip</a>');
    expect(on).toContain('<a href="?download=tar">Download .tar</a>');
    expect(await page("/docs/")).not.toContain("download=");
  });

  it("answers ?download=zip with the folder as an attachment, and ignores it when archives are off", async () => {
    const zip = await archived(new Request("http://localhost/docs/?download=zip"));
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toBe('attachment; filename="docs.zip"');
    const bytes = new Uint8Array(await zip.arrayBuffer());
    expect(bytes.byteLength).toBe(Number(zip.headers.get("content-length")));
    expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const off = await get("/docs/?download=zip");
    expect(off.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("archives a folder that has an index page too: the download is of the folder", async () => {
    const site = createHandler({
      fs: memoryFileSystem({ "site/index.html": "<h1>hi</h1>", "site/a.css": "a{}" }),
      archive: true,
    });
    expect((await site(new Request("http://localhost/site/"))).headers.get("content-type")).toBe(
      "text/html; charset=utf-8",
    );
    const zip = await site(new Request("http://localhost/site/?download=zip"));
    expect(zip.headers.get("content-disposition")).toBe('attachment; filename="site.zip"');
  });

  it("names the root's archive root.zip, and refuses a folder over the caps with a page that says so", async () => {
    expect((await archived(new Request("http://localhost/?download=tar"))).headers.get("content-disposition")).toBe(
      'attachment; filename="root.tar"',
    );
    const capped = createHandler({ fs, archive: { maxEntries: 3 } });
    const refused = await capped(new Request("http://localhost/docs/?download=zip"));
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(
      "This folder is too large to download as an archive. " +
        "It holds more than 3 files and folders; an archive may hold at most 3.",
    );
  });
});

describe("the folder's README", () => {
  const readmeFs = memoryFileSystem(
    {
      "with/README.md":
        "# Hello\n\nSee [the guide](guide.txt).\n\n" +
        "<script>alert(1)</script><img src=x onerror=alert(2)>" +
        "[x](javascript:alert(3))<iframe src=//evil.example></iframe>",
      "with/guide.txt": "guide",
      "lower/readme.md": "lower-case *readme*",
      "big/README.md": "x".repeat(256 * 1024 + 1),
      "hidden/.README.md": "# no",
    },
    { mtime: T0 },
  );
  const section = async (path: string, options: { readme?: boolean } = {}) => {
    const html = await (
      await createHandler({ fs: readmeFs, ...options })(new Request(`http://localhost${path}`))
    ).text();
    return /<section class="readme"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? null;
  };

  it("renders README.md (or readme.md) below the list, links relative to the folder", async () => {
    const html = await section("/with/");
    expect(html).toContain("<h1>Hello</h1>");
    expect(html).toContain('<a href="guide.txt">the guide</a>');
    expect(await section("/lower/")).toContain("<em>readme</em>");
    expect(await section("/hidden/")).toBeNull();
  });

  it("leaves out raw HTML and script links: nothing from the README can run", async () => {
    const html = (await section("/with/")) ?? "";
    expect(html).not.toMatch(/<script|<iframe|onerror|javascript:/i);
  });

  it("says so instead of rendering a README over 256 KiB, and renders none with readme: false", async () => {
    expect(await section("/big/")).toBe('\n<p class="muted">README.md is larger than 256 KiB and is not shown.</p>\n');
    expect(await section("/with/", { readme: false })).toBeNull();
  });

  it("renders a README again once it changed", async () => {
    const versions = ["# First", "# Second, longer"];
    let version = 0;
    const changing = memoryFileSystem({ "d/README.md": versions[0] ?? "" }, { mtime: T0 });
    const fs2 = {
      ...changing,
      stat: changing.stat,
      readDir: async (path: string) =>
        (await changing.readDir(path)).map((entry) =>
          entry.name === "README.md" && entry.stat
            ? { ...entry, stat: { ...entry.stat, size: (versions[version] ?? "").length, mtimeMs: T0 + version } }
            : entry,
        ),
      read: async () => new TextEncoder().encode(versions[version] ?? ""),
    };
    const handler = createHandler({ fs: fs2 });
    const get = async () =>
      (await (await handler(new Request("http://localhost/d/"))).text()).match(
        /<section class="readme"[^>]*>\n<h1>([^<]*)<\/h1>/,
      )?.[1];
    expect(await get()).toBe("First");
    version = 1;
    expect(await get()).toBe("Second, longer");
  });
});

describe("a large folder (more than 2,000 entries)", () => {
  const names = Array.from({ length: 3000 }, (_, i) => `item-${i}.txt`);
  const large = createHandler({
    fs: memoryFileSystem(Object.fromEntries(names.map((name) => [`big/${name}`, "x"])), { mtime: T0 }),
  });
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    large(new Request(`http://localhost${path}`, { headers, method }));

  it("streams its page in chunks of a few hundred rows, never as one string, and every row arrives", async () => {
    const response = await get("/big/");
    expect(response.headers.get("content-length")).toBeNull();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const chunks: number[] = [];
    let html = "";
    const decoder = new TextDecoder();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value.byteLength);
      html += decoder.decode(read.value, { stream: true });
    }
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks)).toBeLessThan(html.length / 5);
    expect(listedLabels(html)).toHaveLength(3000);
    expect(listedLabels(html).slice(0, 3)).toEqual(["item-0.txt", "item-1.txt", "item-2.txt"]);
    expect(html.endsWith("</html>\n")).toBe(true);
  });

  it("streams JSON and text too, whole and well-formed", async () => {
    const json = (await (await get("/big/?format=json")).json()) as ListingJson;
    expect(json.entries).toHaveLength(3000);
    expect(json.entries[2999]?.name).toBe("item-2999.txt");
    const text = await (await get("/big/?format=text")).text();
    expect(text.split("\n")).toHaveLength(3001);
  });

  it("answers HEAD and a matching If-None-Match without making the body", async () => {
    const head = await get("/big/", {}, "HEAD");
    expect(head.body).toBeNull();
    expect(head.headers.get("content-length")).toBeNull();
    const tag = head.headers.get("etag") ?? "";
    expect((await get("/big/", { "if-none-match": tag })).status).toBe(304);
  });

  it("stops making chunks when the client goes away", async () => {
    const response = await get("/big/");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    expect((await reader.read()).done).toBe(true);
  });
});

describe("a folder asked for again", () => {
  it("answers the page made last time while nothing in it changed, and a new page once anything did", async () => {
    let entries = [
      { name: "a.txt", stat: { kind: "file" as const, size: 1, mtimeMs: T0 } },
      { name: "b.txt", stat: { kind: "file" as const, size: 2, mtimeMs: T0 } },
    ];
    let reads = 0;
    const changing = createHandler({
      fs: {
        stat: async (path) => (path === "" ? { kind: "directory", size: 0, mtimeMs: T0 } : null),
        read: async () => new Uint8Array(0),
        readDir: async () => {
          reads++;
          return entries.map((entry) => ({ ...entry, stat: { ...entry.stat } }));
        },
      },
    });
    const page = async () => await (await changing(new Request("http://localhost/"))).text();
    const first = await page();
    expect(await page()).toBe(first);
    expect(reads).toBe(2); // the folder is read every time: only the page is kept
    for (const change of [
      () =>
        (entries = entries.map((entry) =>
          entry.name === "a.txt" ? { ...entry, stat: { ...entry.stat, size: 5 } } : entry,
        )),
      () =>
        (entries = entries.map((entry) =>
          entry.name === "a.txt" ? { ...entry, stat: { ...entry.stat, mtimeMs: T0 + 60_000 } } : entry,
        )),
      () => (entries = [...entries, { name: "c.txt", stat: { kind: "file" as const, size: 3, mtimeMs: T0 } }]),
      () => (entries = entries.filter((entry) => entry.name !== "b.txt")),
    ]) {
      const before = await page();
      change();
      const after = await page();
      expect(after).not.toBe(before);
      expect(listedLabels(after)).toEqual(entries.map((entry) => entry.name));
    }
  });
});
