import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listedLabels } from "../../../test/support/listing.ts";
import { createHandler, memoryFileSystem, type WriteOptions } from "../src/index.js";

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const files = { "docs/a b.txt": "a", "docs/sub/inner.txt": "i" };

/** The folder `/docs/` as a handler with `write` answers it: its page and its policy. */
async function docs(write?: WriteOptions) {
  const fs = memoryFileSystem(files, { mtime: T0, writable: true });
  const response = await createHandler({ fs, write })(new Request("http://localhost/docs/"));
  return {
    html: await response.text(),
    policy: response.headers.get("content-security-policy") ?? "",
    etag: response.headers.get("etag"),
  };
}

const inline = (html: string, tag: string) => new RegExp(`<${tag}>([^]*?)</${tag}>`).exec(html)?.[1] ?? "";
const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

describe("the listing page of a read-only server", () => {
  it("has no upload tools, no buttons on its rows, and lets its script send nothing", async () => {
    const { html, policy } = await docs();
    expect(html).not.toMatch(/<section id="up"|<form id="send"|type="file"|<dialog|<button class=|Actions/);
    expect(policy).not.toContain("connect-src");
    expect(listedLabels(html)).toEqual(["sub/", "a b.txt"]);
  });
});

describe("the listing page of a server that takes uploads", () => {
  it("has a form that uploads without JavaScript: a POST of multipart/form-data to the folder", async () => {
    const { html } = await docs({ upload: true });
    expect(html).toContain('<form id="send" method="post" enctype="multipart/form-data" action=".">');
    expect(html).toContain(
      '<label for="files">Upload files</label><input id="files" name="files" type="file" multiple>',
    );
    expect(html).toContain('<input id="dir" type="file" webkitdirectory hidden>');
    // The script's tools start hidden: without JavaScript only the form shows.
    expect(html).toContain('<div id="tools" hidden>');
  });

  it("tells the script the cap on a file's size, in bytes and as a person reads it", async () => {
    const { html } = await docs({ upload: true, maxUploadSize: 5 * 1024 ** 2 });
    expect(html).toContain('data-max="5242880" data-max-label="5.0 MiB">');
    expect(html).toContain("at most 5.0 MiB a file");
  });

  it("offers no rename or delete, and no Replace, without the delete switch", async () => {
    const { html } = await docs({ upload: true });
    expect(html).not.toMatch(/<button class=|Actions|data-delete/);
  });

  it("lets its own script, and only it, send requests to the share: its style and script by hash", async () => {
    const { html, policy } = await docs({ upload: true });
    expect(policy).toBe(
      `default-src 'none'; style-src ${hash(inline(html, "style"))}; script-src ${hash(inline(html, "script"))}; ` +
        "img-src 'self' https: data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
    );
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/ style="| on[a-z]+="/);
  });

  it("is told apart from the read-only page by its tag, so no cache mixes them up", async () => {
    const tags = new Set([
      (await docs()).etag,
      (await docs({ upload: true })).etag,
      (await docs({ delete: true })).etag,
    ]);
    expect(tags.size).toBe(3);
  });
});

describe("the listing page of a server that also deletes", () => {
  it("gives each entry a Rename and a Delete button under a column header named for screen readers", async () => {
    const { html } = await docs({ upload: true, delete: true });
    expect(html).toContain('<th scope="col"><span class="vh">Actions</span></th></tr>');
    expect(html.match(/<button class=mv>Rename<\/button><button class=rm>Delete<\/button>/g)).toHaveLength(2);
    expect(html).toContain(" data-delete>");
    expect(listedLabels(html)).toEqual(["sub/", "a b.txt"]);
  });

  it("gives the gallery's tiles the same buttons", async () => {
    const fs = memoryFileSystem(files, { mtime: T0, writable: true });
    const handler = createHandler({ fs, write: { delete: true } });
    const html = await (await handler(new Request("http://localhost/docs/?view=grid"))).text();
    expect(html.match(/<div class=act><button class=mv>Rename<\/button>/g)).toHaveLength(2);
  });
});
