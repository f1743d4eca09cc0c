/**
 * The handler's writes (docs/writes.md) over a writable in-memory filesystem: the switches, PUT
 * and its preconditions and limits, the WebDAV changes, who may write, and what a write changes
 * about reads (the sandbox, hidden temporary files).
 */
import { describe, expect, it } from "vitest";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.ts";

const HOST = "share.test:8000";
const BASE = `http://${HOST}`;

function handlerWith(options: Partial<HandlerOptions> = {}, files: Record<string, string> = {}) {
  const fs = memoryFileSystem({ "docs/a.txt": "first", "page.html": "<p>hi</p>", ...files }, { writable: true });
  const handler = createHandler({ fs, write: { upload: true }, ...options });
  return (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
    handler(
      new Request(`${BASE}${path}`, {
        method,
        body: init.body,
        headers: { host: HOST, ...init.headers },
        duplex: "half",
      } as RequestInit),
    );
}

const text = async (response: Response): Promise<string> => response.text();

describe("the switches", () => {
  it("without write, every write method is a 405 with Allow naming only reads", async () => {
    const fs = memoryFileSystem({ "a.txt": "a" }, { writable: true });
    const handler = createHandler({ fs });
    for (const method of ["PUT", "POST", "DELETE", "MKCOL", "MOVE", "COPY", "PATCH"]) {
      const response = await handler(new Request(`${BASE}/a.txt`, { method, body: method === "PUT" ? "x" : null }));
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow"), method).toBe("GET, HEAD, OPTIONS, PROPFIND");
    }
  });

  it("refuses at construction to write to a filesystem that cannot write", () => {
    expect(() => createHandler({ fs: memoryFileSystem({}), write: { upload: true } })).toThrow(
      /filesystem that can write/,
    );
  });

  it("upload alone creates but neither replaces nor deletes nor moves; Allow says so", async () => {
    const request = handlerWith();
    expect((await request("PUT", "/docs/b.txt", { body: "b" })).status).toBe(201);
    const replace = await request("PUT", "/docs/a.txt", { body: "again" });
    expect(replace.status).toBe(409);
    expect(await text(replace)).toContain("replacing it needs --delete");
    const remove = await request("DELETE", "/docs/a.txt");
    expect(remove.status).toBe(405);
    const allow = "GET, HEAD, OPTIONS, PROPFIND, PUT, POST, MKCOL, COPY, PATCH";
    expect(remove.headers.get("allow")).toBe(allow);
    expect((await request("OPTIONS", "/")).headers.get("allow")).toBe(allow);
  });

  it("delete also replaces, deletes and moves", async () => {
    const request = handlerWith({ write: { delete: true } });
    expect((await request("PUT", "/docs/a.txt", { body: "again" })).status).toBe(204);
    expect(await text(await request("GET", "/docs/a.txt"))).toBe("again");
    expect((await request("MOVE", "/docs/a.txt", { headers: { destination: "/b.txt" } })).status).toBe(201);
    expect((await request("DELETE", "/b.txt")).status).toBe(204);
    expect((await request("GET", "/b.txt")).status).toBe(404);
  });
});

describe("PUT", () => {
  it("creates a file and its missing folders: 201 with Location and the new ETag", async () => {
    const request = handlerWith();
    const response = await request("PUT", "/new/dir/caf%C3%A9%20menu.txt", { body: "soup" });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/new/dir/caf%C3%A9%20menu.txt");
    const get = await request("GET", "/new/dir/caf%C3%A9%20menu.txt");
    expect(await text(get)).toBe("soup");
    expect(response.headers.get("etag")).toBe(get.headers.get("etag"));
  });

  it("honours If-None-Match: * (412 when something is there) and If-Match (412 for another version)", async () => {
    const request = handlerWith({ write: { delete: true } });
    expect((await request("PUT", "/docs/a.txt", { body: "x", headers: { "if-none-match": "*" } })).status).toBe(412);
    expect((await request("PUT", "/docs/n.txt", { body: "x", headers: { "if-none-match": "*" } })).status).toBe(201);
    const etag = (await request("HEAD", "/docs/a.txt")).headers.get("etag") ?? "";
    expect((await request("PUT", "/docs/a.txt", { body: "x", headers: { "if-match": '"stale"' } })).status).toBe(412);
    expect((await request("PUT", "/docs/a.txt", { body: "second", headers: { "if-match": etag } })).status).toBe(204);
    // The same tag again names a version that is gone: no lost update.
    expect((await request("PUT", "/docs/a.txt", { body: "third", headers: { "if-match": etag } })).status).toBe(412);
    expect(await text(await request("GET", "/docs/a.txt"))).toBe("second");
    expect((await request("PUT", "/nothing.txt", { body: "x", headers: { "if-match": "*" } })).status).toBe(412);
  });

  it("answers 413 before reading a body whose Content-Length is over the cap", async () => {
    const request = handlerWith({ write: { upload: true, maxUploadSize: 10 } });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(100));
        controller.close();
      },
    });
    const response = await createHandler({
      fs: memoryFileSystem({}, { writable: true }),
      write: { upload: true, maxUploadSize: 10 },
    })(
      new Request(`${BASE}/big.bin`, {
        method: "PUT",
        body,
        headers: { "content-length": "100" },
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(await text(response)).toContain("at most 10 bytes");
    expect(pulled).toBeLessThanOrEqual(1);
    expect((await request("PUT", "/streamed.bin", { body: new Blob([new Uint8Array(100)]).stream() })).status).toBe(
      413,
    );
    expect((await request("GET", "/streamed.bin")).status).toBe(404);
  });

  it("takes a client gone mid-body quietly: nothing stored, a 400, and onError not told", async () => {
    const told: unknown[] = [];
    const fs = memoryFileSystem({}, { writable: true });
    const handler = createHandler({ fs, write: { upload: true }, onError: (error) => told.push(error) });
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
        controller.enqueue(new Uint8Array(10));
        sent = true;
      },
    });
    const init = { method: "PUT", body, duplex: "half" } as RequestInit;
    const response = await handler(new Request(`${BASE}/gone.bin`, init));
    expect(response.status).toBe(400);
    expect(told).toEqual([]);
    expect((await handler(new Request(`${BASE}/gone.bin`))).status).toBe(404);
  });

  it("refuses a folder as a target, a name it cannot store, and dotfiles unless allowed", async () => {
    const request = handlerWith();
    expect((await request("PUT", "/docs/", { body: "x" })).status).toBe(405);
    expect((await request("PUT", "/docs", { body: "x" })).status).toBe(409);
    const control = await request("PUT", "/a%07b.txt", { body: "x" });
    expect(control.status).toBe(400);
    expect(await text(control)).toContain("control characters");
    expect((await request("PUT", `/${"n".repeat(256)}`, { body: "x" })).status).toBe(400);
    expect((await request("PUT", "/x%2F..%2Fa.txt", { body: "x" })).status).toBe(400);
    expect((await request("PUT", "/.env", { body: "x" })).status).toBe(403);
    expect((await handlerWith({ dotfiles: "allow" })("PUT", "/.env", { body: "x" })).status).toBe(201);
    const temp = await handlerWith({ dotfiles: "allow" })("PUT", "/.simplehttp-upload-1-x", { body: "x" });
    expect(temp.status).toBe(403);
  });
});

describe("WebDAV changes", () => {
  it("MKCOL makes a folder: 201; 405 when something is there, 409 without its parent, 415 with a body", async () => {
    const request = handlerWith();
    const made = await request("MKCOL", "/new");
    expect(made.status).toBe(201);
    expect(made.headers.get("location")).toBe("/new/");
    expect((await request("MKCOL", "/new")).status).toBe(405);
    expect((await request("MKCOL", "/no/such")).status).toBe(409);
    const body = { body: "<x/>", headers: { "content-length": "4" } };
    expect((await request("MKCOL", "/withbody", body)).status).toBe(415);
  });

  it("DELETE removes a file or a folder (204), never the root (403); nothing there is 404", async () => {
    const request = handlerWith({ write: { delete: true } });
    expect((await request("DELETE", "/docs")).status).toBe(204);
    expect((await request("GET", "/docs/a.txt")).status).toBe(404);
    expect((await request("DELETE", "/docs")).status).toBe(404);
    expect((await request("DELETE", "/")).status).toBe(403);
  });

  it("MOVE and COPY check the Destination as a request path, and Overwrite", async () => {
    const request = handlerWith({ write: { delete: true } }, { "b.txt": "bee" });
    const to = (destination: string, more: Record<string, string> = {}) => ({ headers: { destination, ...more } });
    expect((await request("COPY", "/docs/a.txt")).status).toBe(400);
    expect((await request("COPY", "/docs/a.txt", to("http://elsewhere.test/x"))).status).toBe(502);
    expect((await request("COPY", "/docs/a.txt", to("/x/../../etc/passwd"))).status).toBe(400);
    expect((await request("COPY", "/docs/a.txt", to("/.env"))).status).toBe(403);
    expect((await request("COPY", "/docs/a.txt", to("/docs/a.txt"))).status).toBe(403);
    expect((await request("COPY", "/none", to("/x"))).status).toBe(404);
    expect((await request("COPY", "/docs/a.txt", to("/b.txt", { overwrite: "F" }))).status).toBe(412);
    const copied = await request("COPY", "/docs/a.txt", to(`${BASE}/c%20d.txt`));
    expect([copied.status, copied.headers.get("location")]).toEqual([201, "/c%20d.txt"]);
    expect((await request("MOVE", "/c%20d.txt", to("/b.txt"))).status).toBe(204);
    expect(await text(await request("GET", "/b.txt"))).toBe("first");
    expect((await request("MOVE", "/docs", to("/nowhere/docs"))).status).toBe(409);
  });

  it("COPY over something needs delete: with upload alone it is 403", async () => {
    const request = handlerWith({}, { "b.txt": "bee" });
    expect((await request("COPY", "/docs/a.txt", { headers: { destination: "/b.txt" } })).status).toBe(403);
    expect((await request("COPY", "/docs/a.txt", { headers: { destination: "/c.txt" } })).status).toBe(201);
  });
});

describe("who may write", () => {
  it("refuses a browser write from another site's page, by Origin or Sec-Fetch-Site", async () => {
    const request = handlerWith();
    const put = (headers: Record<string, string>) => request("PUT", `/x-${Math.random()}.txt`, { body: "x", headers });
    expect((await put({ origin: "https://evil.example" })).status).toBe(403);
    expect((await put({ origin: "null" })).status).toBe(403);
    expect((await put({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await put({ "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await put({ origin: BASE, "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await put({})).status).toBe(201);
  });

  it("lets the one origin that cors names write, never a *", async () => {
    const named = handlerWith({ cors: { origin: "https://app.example" } });
    const from = { origin: "https://app.example", "sec-fetch-site": "cross-site" };
    expect((await named("PUT", "/x.txt", { body: "x", headers: from })).status).toBe(201);
    const star = handlerWith({ cors: true });
    expect((await star("PUT", "/x.txt", { body: "x", headers: from })).status).toBe(403);
    const preflight = await named("OPTIONS", "/x.txt", {
      headers: { origin: "https://app.example", "access-control-request-method": "PUT" },
    });
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Destination");
  });

  it("with publicRead, anyone reads and only users with the password write", async () => {
    const auth = { users: [{ user: "ana", password: "s3cret" }], publicRead: true };
    const request = handlerWith({ auth });
    expect((await request("GET", "/docs/a.txt")).status).toBe(200);
    expect((await request("PUT", "/x.txt", { body: "x" })).status).toBe(401);
    const basic = { authorization: `Basic ${btoa("ana:s3cret")}` };
    expect((await request("PUT", "/x.txt", { body: "x", headers: basic })).status).toBe(201);
  });
});

describe("reads while writes are on", () => {
  it("sends HTML and SVG sandboxed, unless trustUploads; with writes off, as they are", async () => {
    const sandbox = (response: Response) => response.headers.get("content-security-policy");
    expect(sandbox(await handlerWith()("GET", "/page.html"))).toMatch(/^sandbox allow-scripts/);
    expect(sandbox(await handlerWith({}, { "x.svg": "<svg/>" })("GET", "/x.svg"))).toMatch(/^sandbox/);
    const text = await handlerWith()("GET", "/docs/a.txt");
    expect(sandbox(text)).toBeNull();
    expect(text.headers.get("x-content-type-options")).toBe("nosniff");
    expect(sandbox(await handlerWith({ write: { upload: true, trustUploads: true } })("GET", "/page.html"))).toBeNull();
    const readOnly = createHandler({ fs: memoryFileSystem({ "page.html": "<p/>" }) });
    expect(sandbox(await readOnly(new Request(`${BASE}/page.html`)))).toBeNull();
  });

  it("never serves nor lists a write's temporary file, whatever the dotfile policy", async () => {
    const request = handlerWith({ dotfiles: "allow" }, { ".simplehttp-upload-7-abc": "half", ".seen": "yes" });
    expect((await request("GET", "/.simplehttp-upload-7-abc")).status).toBe(404);
    expect((await request("GET", "/.seen")).status).toBe(200);
    const listing = await text(await request("GET", "/", { headers: { accept: "text/plain" } }));
    expect(listing).toContain(".seen");
    expect(listing).not.toContain("simplehttp-upload");
  });
});
