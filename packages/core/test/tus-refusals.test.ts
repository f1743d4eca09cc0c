/**
 * What tus (write/tus.ts) refuses, over a writable in-memory filesystem: other versions, malformed
 * requests, names a write may not make, bytes past an upload's length, a name taken meanwhile;
 * and who may send it: the switches, the page it comes from, the password, CORS.
 */
import { describe, expect, it } from "vitest";
import { metadata, streamOf, TUS, tusServer } from "./tus-support.ts";

describe("tus: malformed and refused requests", () => {
  it("answers 412 with Tus-Version to a request without Tus-Resumable 1.0.0, changing nothing", async () => {
    const { create, send, head } = tusServer();
    const { url } = await create("/", "a.bin", 3);
    const versions: Record<string, string>[] = [{}, { "tus-resumable": "0.2.2" }];
    for (const version of versions) {
      const creation = { ...version, "upload-length": "1", "upload-metadata": metadata("b.bin") };
      const piece = { ...version, "content-type": "application/offset+octet-stream", "upload-offset": "0" };
      for (const [method, path, headers] of [
        ["POST", "/", creation],
        ["HEAD", url, version],
        ["PATCH", url, piece],
        ["DELETE", url, version],
      ] as const) {
        const response = await send(method, path, { headers, body: method === "PATCH" ? "abc" : null });
        expect([method, response.status, response.headers.get("tus-version")]).toEqual([method, 412, "1.0.0"]);
      }
    }
    expect((await head(url)).headers.get("upload-offset")).toBe("0");
    expect((await send("GET", "/b.bin")).status).toBe(404);
  });

  it("refuses a PATCH of another type (415), without an offset (400), or with no upload (404)", async () => {
    const { create, patch, send } = tusServer();
    const { url } = await create("/", "a.bin", 3);
    expect((await patch(url, 0, "abc", { "content-type": "application/octet-stream" })).status).toBe(415);
    expect((await patch(url, 0, "abc", { "upload-offset": "-1" })).status).toBe(400);
    expect((await patch("/a.bin", 0, "abc")).status).toBe(404);
    expect((await patch("/a.bin?tus=00000000000000000000000000000000", 0, "abc")).status).toBe(404);
    // The id is bound to its path: the same id under another name finds nothing.
    const id = url.slice(url.indexOf("?"));
    expect((await patch(`/b.bin${id}`, 0, "abc")).status).toBe(404);
    expect((await send("HEAD", `/docs/a.bin${id}`, { headers: TUS })).status).toBe(404);
  });

  it("refuses a creation without a length, with a deferred one, past the cap, or holding bytes", async () => {
    const { send } = tusServer({ write: { upload: true, maxUploadSize: 100 } });
    const name = { ...TUS, "upload-metadata": metadata("a.bin") };
    expect((await send("POST", "/", { headers: name })).status).toBe(400);
    expect((await send("POST", "/", { headers: { ...name, "upload-defer-length": "1" } })).status).toBe(400);
    const over = await send("POST", "/", { headers: { ...name, "upload-length": "101" } });
    expect([over.status, over.headers.get("tus-resumable")]).toEqual([413, "1.0.0"]);
    const withBytes = { ...name, "upload-length": "3", "content-type": "application/offset+octet-stream" };
    expect((await send("POST", "/", { headers: withBytes, body: "abc" })).status).toBe(400);
    expect((await send("GET", "/a.bin")).status).toBe(404);
  });

  it("checks the filename as a path's segments: no dot segments, dotfiles, controls, our temporary names", async () => {
    const { create, send } = tusServer();
    for (const filename of [
      "",
      "..",
      "a/../b",
      "/abs",
      "a//b",
      "a\\b",
      ".env",
      "d/.git/x",
      "a\u0007b",
      ".simplehttp-upload-1-x",
    ]) {
      expect((await create("/", filename, 1)).response.status, JSON.stringify(filename)).toBe(400);
    }
    const noName = await send("POST", "/", {
      headers: { ...TUS, "upload-length": "1", "upload-metadata": "type dGV4dA==" },
    });
    expect(noName.status).toBe(400);
    const malformed = await send("POST", "/", {
      headers: { ...TUS, "upload-length": "1", "upload-metadata": "filename !!!" },
    });
    expect(malformed.status).toBe(400);
    expect((await tusServer({ dotfiles: "allow" }).create("/", ".env", 1)).response.status).toBe(201);
    expect((await send("GET", "/", { headers: { accept: "text/plain" } })).status).toBe(200);
  });

  it("refuses a creation into no folder (404), over a folder (409), over a file without delete (409)", async () => {
    const { create, send } = tusServer();
    expect((await create("/none/", "a.bin", 1)).response.status).toBe(404);
    expect((await create("/docs/a.txt", "b.bin", 1)).response.status).toBe(404);
    expect((await create("/", "docs", 1)).response.status).toBe(409);
    const taken = await create("/docs/", "a.txt", 1);
    expect([taken.response.status, await taken.response.text()]).toEqual([409, expect.stringContaining("--delete")]);
    expect(await (await send("GET", "/docs/a.txt")).text()).toBe("first");
  });

  it("refuses bytes past the length: 413 unread when Content-Length says so, else at the piece past it", async () => {
    const { create, patch, head, send } = tusServer();
    const { url } = await create("/", "a.bin", 5);
    const said = await patch(url, 0, "abcdefgh");
    expect(said.status).toBe(413);
    expect((await head(url)).headers.get("upload-offset")).toBe("0");
    const streamed = await patch(url, 0, streamOf("abc", "defgh"));
    expect(streamed.status).toBe(413);
    expect((await head(url)).headers.get("upload-offset")).toBe("3");
    expect((await patch(url, 3, "de")).status).toBe(204);
    expect(await (await send("GET", "/a.bin")).text()).toBe("abcde");
  });

  it("answers 409 to the last piece when a file took the name meanwhile: it stays, the upload is over", async () => {
    const { create, patch, head, send } = tusServer();
    const { url } = await create("/", "race.txt", 4);
    expect((await send("PUT", "/race.txt", { body: "won" })).status).toBe(201);
    const last = await patch(url, 0, "lost");
    expect(last.status).toBe(409);
    expect(await (await send("GET", "/race.txt")).text()).toBe("won");
    expect((await head(url)).status).toBe(404);
  });
});

describe("tus: who may send it", () => {
  it("needs the upload switch: without writes tus is a 405, and a HEAD of an upload URL a plain HEAD", async () => {
    const { send } = tusServer({ write: undefined });
    const creation = { ...TUS, "upload-length": "1", "upload-metadata": metadata("a.bin") };
    const refused = await send("POST", "/", { headers: creation });
    expect([refused.status, refused.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS, PROPFIND"]);
    expect((await send("PATCH", "/docs/a.txt?tus=x", { headers: TUS, body: "x" })).status).toBe(405);
    expect((await send("HEAD", "/docs/a.txt?tus=x", { headers: TUS })).status).toBe(200);
  });

  it("refuses every tus request from another site's page (403), before anything changes", async () => {
    const { create, send, head } = tusServer();
    const { url } = await create("/", "a.bin", 3);
    const evil = { ...TUS, origin: "https://evil.example" };
    const creation = { ...evil, "upload-length": "1", "upload-metadata": metadata("b.bin") };
    expect((await send("POST", "/", { headers: creation })).status).toBe(403);
    const piece = { ...evil, "content-type": "application/offset+octet-stream", "upload-offset": "0" };
    expect((await send("PATCH", url, { headers: piece, body: "abc" })).status).toBe(403);
    expect((await send("HEAD", url, { headers: evil })).status).toBe(403);
    expect((await send("DELETE", url, { headers: evil })).status).toBe(403);
    expect((await head(url)).headers.get("upload-offset")).toBe("0");
  });

  it("with publicRead, every tus request needs the password, a HEAD of an upload URL too", async () => {
    const auth = { users: [{ user: "ana", password: "s3cret" }], publicRead: true };
    const basic = { authorization: `Basic ${btoa("ana:s3cret")}` };
    const { create, send } = tusServer({ auth });
    expect((await create("/", "a.bin", 3)).response.status).toBe(401);
    const { url } = await create("/", "a.bin", 3, basic);
    expect(url).toContain("?tus=");
    expect((await send("HEAD", url, { headers: TUS })).status).toBe(401);
    expect((await send("HEAD", url, { headers: { ...TUS, ...basic } })).status).toBe(200);
    const piece = { ...TUS, "content-type": "application/offset+octet-stream", "upload-offset": "0" };
    expect((await send("PATCH", url, { headers: piece, body: "abc" })).status).toBe(401);
    expect((await send("DELETE", url, { headers: TUS })).status).toBe(401);
    expect((await send("GET", "/docs/a.txt")).status).toBe(200);
  });

  it("with CORS, lets a page send tus's headers and read its answers", async () => {
    const { send } = tusServer({ cors: { origin: "https://app.example" } });
    const preflight = await send("OPTIONS", "/", {
      headers: { origin: "https://app.example", "access-control-request-method": "PATCH" },
    });
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PATCH");
    const allowed = preflight.headers.get("access-control-allow-headers") ?? "";
    for (const name of ["Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Content-Type"]) {
      expect(allowed).toContain(name);
    }
    const exposed = (await send("GET", "/docs/a.txt")).headers.get("access-control-expose-headers") ?? "";
    for (const name of ["Location", "Upload-Offset", "Upload-Length", "Tus-Version", "Tus-Resumable", "Tus-Max-Size"]) {
      expect(exposed).toContain(name);
    }
    const app = { ...TUS, origin: "https://app.example", "upload-length": "1", "upload-metadata": metadata("c.bin") };
    expect((await send("POST", "/", { headers: app })).status).toBe(201);
  });
});
