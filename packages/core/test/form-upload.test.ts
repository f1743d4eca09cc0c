/**
 * A form POST to a folder (write/form.ts): files stored as they stream in, folders from their
 * relative paths, every name checked, the answer for a script (JSON) and for a plain form (303).
 */
import { describe, expect, it } from "vitest";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.ts";

const BASE = "http://share.test";

function setUp(options: Partial<HandlerOptions> = {}) {
  const fs = memoryFileSystem({ "docs/old.txt": "old" }, { writable: true });
  const handler = createHandler({ fs, write: { upload: true }, ...options });
  const post = (path: string, form: FormData, accept = "application/json") =>
    handler(new Request(`${BASE}${path}`, { method: "POST", body: form, headers: { accept } }));
  const get = async (path: string) => {
    const response = await handler(new Request(`${BASE}${path}`));
    return response.status === 200 ? response.text() : response.status;
  };
  return { post, get };
}

function formOf(files: Record<string, string>): FormData {
  const form = new FormData();
  form.append("note", "a field beside the files");
  for (const [name, content] of Object.entries(files)) form.append("files", new File([content], name));
  return form;
}

describe("a form POST to a folder", () => {
  it("stores every file, folders from their relative paths, and lists them in JSON with 201", async () => {
    const { post, get } = setUp();
    const response = await post("/docs/", formOf({ "a.txt": "A", "photos/b c.jpg": "B" }));
    expect(response.status).toBe(201);
    const answer = (await response.json()) as { stored: { name: string; href: string; size: number }[] };
    expect(answer.stored.map((each) => each.href).sort()).toEqual(["/docs/a.txt", "/docs/photos/b%20c.jpg"]);
    expect(await get("/docs/a.txt")).toBe("A");
    expect(await get("/docs/photos/b%20c.jpg")).toBe("B");
  });

  it("answers a plain form with 303 back to the folder", async () => {
    const { post } = setUp();
    const response = await post("/docs/", formOf({ "x.txt": "x" }), "text/html");
    expect([response.status, response.headers.get("location")]).toEqual([303, "/docs/"]);
  });

  it("never replaces: a name that is there is 409, the others stored and listed", async () => {
    const { post, get } = setUp();
    const response = await post("/docs/", formOf({ "old.txt": "new", "fresh.txt": "fresh" }));
    expect(response.status).toBe(409);
    const answer = (await response.json()) as { stored: { name: string }[]; error: { reason: string } };
    expect(answer.stored.map((each) => each.name)).toEqual(["fresh.txt"]);
    expect(answer.error.reason).toContain("replace it with a PUT");
    expect(await get("/docs/old.txt")).toBe("old");
  });

  it("refuses names that climb, hide or hold controls, storing nothing for them", async () => {
    const { post, get } = setUp();
    for (const name of [
      "../escape.txt",
      "a/../../escape.txt",
      ".env",
      "sub/.git/config",
      "a\\b.txt",
      "bell\u0007.txt",
    ]) {
      const response = await post("/docs/", formOf({ [name]: "x" }));
      expect(response.status, name).toBe(400);
    }
    expect(await get("/escape.txt")).toBe(404);
    expect(await get("/docs/")).not.toContain("escape");
  });

  it("refuses a form with more files than the cap (413) and one over the size cap (413)", async () => {
    const many = setUp({ write: { upload: true, maxFormFiles: 2 } });
    expect((await many.post("/docs/", formOf({ "1": "1", "2": "2", "3": "3" }))).status).toBe(413);
    const big = setUp({ write: { upload: true, maxUploadSize: 4 } });
    expect((await big.post("/docs/", formOf({ "big.bin": "0123456789" }))).status).toBe(413);
    expect(await big.get("/docs/big.bin")).toBe(404);
  });

  it("takes only multipart/form-data, into a folder that exists", async () => {
    const { post } = setUp();
    expect((await post("/nowhere/", formOf({ "a.txt": "a" }))).status).toBe(404);
    const fs = memoryFileSystem({}, { writable: true });
    const handler = createHandler({ fs, write: { upload: true } });
    const plain = await handler(
      new Request(`${BASE}/`, { method: "POST", body: "a=1", headers: { "content-type": "text/plain;x=1" } }),
    );
    expect(plain.status).toBe(415);
  });
});
