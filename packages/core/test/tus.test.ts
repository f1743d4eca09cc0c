/**
 * tus 1.0 (core, creation, termination, expiration; write/tus.ts) over a writable in-memory
 * filesystem: what a tus client sees at each step, and that the file appears only when complete.
 */
import { describe, expect, it } from "vitest";
import { createHandler, memoryFileSystem } from "../src/index.ts";
import { metadata, TUS, tusServer } from "./tus-support.ts";

describe("tus: what is offered", () => {
  it("OPTIONS names the version, the extensions (no deferred length) and the upload cap; Allow has PATCH", async () => {
    const { send } = tusServer({ write: { upload: true, maxUploadSize: 1000 } });
    const response = await send("OPTIONS", "/");
    expect(response.status).toBe(204);
    expect(response.headers.get("tus-version")).toBe("1.0.0");
    expect(response.headers.get("tus-resumable")).toBe("1.0.0");
    expect(response.headers.get("tus-extension")).toBe("creation,termination,expiration");
    expect(response.headers.get("tus-max-size")).toBe("1000");
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND, PUT, POST, MKCOL, COPY, PATCH");
  });

  it("offers nothing without writes, nor on a filesystem that takes whole files only (a store)", async () => {
    const readOnly = createHandler({ fs: memoryFileSystem({ "a.txt": "a" }, { writable: true }) });
    const options = await readOnly(new Request("http://share.test/", { method: "OPTIONS" }));
    expect(options.headers.get("tus-version")).toBeNull();
    const fs = memoryFileSystem({ "a.txt": "a" }, { writable: true });
    const { partial: _, ...whole } = fs.writes ?? { partial: undefined };
    const { send } = tusServer({ fs: { ...fs, writes: whole as NonNullable<typeof fs.writes> } });
    const response = await send("OPTIONS", "/");
    expect(response.headers.get("tus-version")).toBeNull();
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND, PUT, POST, MKCOL, COPY");
    const headers = { ...TUS, "upload-length": "3", "upload-metadata": metadata("b.txt") };
    const create = await send("POST", "/", { headers });
    expect(create.status).toBe(405);
    expect(create.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND, PUT, POST, MKCOL, COPY");
    expect((await send("PATCH", "/b.txt?tus=x", { headers: TUS })).status).toBe(405);
  });
});

describe("tus: an upload from creation to its file", () => {
  it("creates (201, the file's URL with ?tus=id), takes pieces at their offsets, and commits the last", async () => {
    const { create, patch, head, send } = tusServer();
    const { response, url } = await create("/docs/", "new.bin", 11);
    expect(response.status).toBe(201);
    expect(response.headers.get("tus-resumable")).toBe("1.0.0");
    expect(url).toMatch(/^\/docs\/new\.bin\?tus=[0-9a-f]{32}$/);
    expect(Date.parse(response.headers.get("upload-expires") ?? "")).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const first = await patch(url, 0, "hello");
    expect([first.status, first.headers.get("upload-offset")]).toEqual([204, "5"]);
    expect(first.headers.get("tus-resumable")).toBe("1.0.0");
    const status = await head(url);
    expect(status.status).toBe(200);
    expect(status.headers.get("upload-offset")).toBe("5");
    expect(status.headers.get("upload-length")).toBe("11");
    expect(status.headers.get("cache-control")).toBe("no-store");
    expect(status.headers.get("upload-metadata")).toBe(metadata("new.bin"));
    // Nothing at the name, nor in the folder's listing, until the last byte.
    expect((await send("GET", "/docs/new.bin")).status).toBe(404);
    const listing = await (await send("GET", "/docs/", { headers: { accept: "text/plain" } })).text();
    expect(listing).not.toContain("new.bin");
    const last = await patch(url, 5, " world");
    expect([last.status, last.headers.get("upload-offset")]).toEqual([204, "11"]);
    expect(await (await send("GET", "/docs/new.bin")).text()).toBe("hello world");
    // The upload is over: its URL tells of none, and takes no more.
    expect((await head(url)).status).toBe(404);
    expect((await patch(url, 11, "!")).status).toBe(404);
  });

  it("answers 409 to a piece at another offset, changing nothing", async () => {
    const { create, patch, head } = tusServer();
    const { url } = await create("/", "a.bin", 6);
    await patch(url, 0, "abc");
    for (const offset of [0, 2, 4]) {
      const response = await patch(url, offset, "def");
      expect(response.status, String(offset)).toBe(409);
      expect(response.headers.get("tus-resumable")).toBe("1.0.0");
    }
    expect((await head(url)).headers.get("upload-offset")).toBe("3");
  });

  it("creates the folders of a filename with slashes (a folder's file), each segment checked", async () => {
    const { create, patch, send } = tusServer();
    const { response, url } = await create("/docs/", "album/2024/photo.jpg", 3);
    expect(response.status).toBe(201);
    expect(url).toMatch(/^\/docs\/album\/2024\/photo\.jpg\?tus=/);
    await patch(url, 0, "jpg");
    expect(await (await send("GET", "/docs/album/2024/photo.jpg")).text()).toBe("jpg");
  });

  it("commits an empty upload at once: 201 with the file's URL, and the file is there", async () => {
    const { create, send } = tusServer();
    const { response, url } = await create("/", "empty.txt", 0);
    expect([response.status, url]).toEqual([201, "/empty.txt"]);
    const file = await send("GET", "/empty.txt");
    expect([file.status, await file.text()]).toEqual([200, ""]);
  });

  it("terminates an upload with DELETE (upload alone suffices): 204, then nothing is left", async () => {
    const { create, patch, head, send, fs } = tusServer();
    const { url } = await create("/docs/", "gone.bin", 10);
    await patch(url, 0, "half");
    const response = await send("DELETE", url, { headers: TUS });
    expect([response.status, response.headers.get("tus-resumable")]).toEqual([204, "1.0.0"]);
    expect((await head(url)).status).toBe(404);
    expect((await send("DELETE", url, { headers: TUS })).status).toBe(404);
    expect((await fs.readDir("docs")).map((entry) => entry.name)).toEqual(["a.txt"]);
    expect((await send("GET", "/docs/a.txt")).status).toBe(200);
  });

  it("takes PATCH and DELETE as a POST with X-HTTP-Method-Override", async () => {
    const { create, head, send } = tusServer();
    const { url } = await create("/", "o.bin", 2);
    const headers = { ...TUS, "content-type": "application/offset+octet-stream", "upload-offset": "0" };
    const patched = await send("POST", url, { body: "o", headers: { ...headers, "x-http-method-override": "PATCH" } });
    expect([patched.status, patched.headers.get("upload-offset")]).toEqual([204, "1"]);
    const deleted = await send("POST", url, { headers: { ...TUS, "x-http-method-override": "DELETE" } });
    expect(deleted.status).toBe(204);
    expect((await head(url)).status).toBe(404);
    expect((await send("POST", url, { headers: TUS })).status).toBe(400);
  });

  it("replaces a file at the name only with delete, at the commit", async () => {
    const { create, patch, send } = tusServer({ write: { delete: true } });
    const { response, url } = await create("/docs/", "a.txt", 6);
    expect(response.status).toBe(201);
    expect(await (await send("GET", "/docs/a.txt")).text()).toBe("first");
    await patch(url, 0, "second");
    expect(await (await send("GET", "/docs/a.txt")).text()).toBe("second");
  });

  it("a complete upload its last PATCH did not commit is committed by the next HEAD", async () => {
    const { fs, head, send } = tusServer();
    const partial = fs.writes?.partial;
    if (partial === undefined) throw new Error("no partial writes");
    const options = { length: 4, mode: "create" as const, maxBytes: 100, parents: false };
    const id = await partial.begin("docs/late.txt", options);
    await partial.append("docs/late.txt", id, 0, new Blob(["late"]).stream());
    const status = await head(`/docs/late.txt?tus=${id}`);
    expect([status.status, status.headers.get("upload-offset")]).toEqual([200, "4"]);
    expect(await (await send("GET", "/docs/late.txt")).text()).toBe("late");
  });
});
