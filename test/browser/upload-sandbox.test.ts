/**
 * Stored XSS through an upload, in real Chromium: anyone who may write can put a page on the
 * share. Its script tries what an attacker's would with a visitor's browser: read a file of the
 * share, and write to it (a PUT, and a form `POST` sent as a simple request). While writes are on,
 * HTML is sent with `Content-Security-Policy: sandbox` (core's write/sandbox.ts): the page runs in
 * an opaque origin and can do neither; with `trustUploads` it is the share's own page and can.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AccessLogEntry } from "@simplehttp/core";
import { type RunningServer, serve } from "@simplehttp/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { snapshot } from "../writes/fixture.ts";
import { BrowserSession } from "./browser.ts";

/**
 * The uploaded page: on load, it tries to read and write the share, and says what it got. Its
 * origin is `self.origin` (HTML's serialised origin: "null" when opaque); Chromium no longer has
 * the older `document.origin`.
 */
const EVIL_PAGE = `<!doctype html><title>an uploaded page</title><script>
const attempt = (promise) => promise.then((answer) => answer, (error) => String(error));
window.outcome = (async () => {
  const form = new FormData();
  form.append("files", new File(["planted by a form"], "planted-by-form.txt"));
  return {
    origin: self.origin,
    read: await attempt(fetch("/secret.txt").then((response) => response.text())),
    put: await attempt(fetch("/planted.txt", { method: "PUT", body: "planted" }).then((response) => response.status)),
    form: await attempt(fetch("/", { method: "POST", mode: "no-cors", body: form }).then((response) => response.type)),
  };
})();
</script>`;
const SECRET = "the share's own secret\n";

let browser: BrowserSession;
const folders: string[] = [];
const servers: RunningServer[] = [];

/** A share with writes on over a fresh folder holding secret.txt, and evil.html uploaded by PUT. */
async function shareWithUpload(
  trustUploads: boolean,
): Promise<{ server: RunningServer; root: string; writes: string[] }> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-upload-sandbox-")));
  folders.push(root);
  writeFileSync(join(root, "secret.txt"), SECRET);
  const writes: string[] = [];
  const onRequest = ({ method, target, status }: AccessLogEntry) => {
    if (method === "PUT" || method === "POST") writes.push(`${method} ${target} ${status}`);
  };
  const write = { upload: true, trustUploads };
  const server = await serve({ root, port: 0, hostname: "127.0.0.1", write, onRequest });
  servers.push(server);
  const uploaded = await fetch(`${server.url}evil.html`, { method: "PUT", body: EVIL_PAGE });
  expect(uploaded.status).toBe(201);
  return { server, root, writes };
}

/** Opens the uploaded page in Chromium and answers what its script got, and the page's policy. */
async function openUpload(server: RunningServer): Promise<{ outcome: Record<string, unknown>; policy: string | null }> {
  const { page } = await browser.open(`${server.url}evil.html`);
  const response = await page.request.get(`${server.url}evil.html`);
  const outcome = await page.evaluate(
    () => (window as unknown as { outcome: Promise<Record<string, unknown>> }).outcome,
  );
  return { outcome, policy: response.headers()["content-security-policy"] ?? null };
}

beforeAll(async () => {
  browser = await BrowserSession.launch();
});

afterEach(async () => {
  await browser.closeContexts();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

it("an uploaded page runs in an opaque origin: it cannot read the share's files, nor write", async () => {
  const { server, root, writes } = await shareWithUpload(false);
  const before = snapshot(root);
  const { outcome, policy } = await openUpload(server);
  expect(policy).toMatch(/^sandbox allow-scripts\b/);
  expect(policy).not.toContain("allow-same-origin");
  expect(outcome).toEqual({
    origin: "null",
    read: expect.stringMatching(/^TypeError: Failed to fetch/),
    put: expect.stringMatching(/^TypeError: Failed to fetch/),
    // The simple request is sent (its answer is opaque to the page): the share refused it, 403.
    form: "opaque",
  });
  // The PUT never left the browser (its preflight found no CORS); the form's POST got a 403.
  expect(writes).toEqual(["PUT /evil.html 201", "POST / 403"]);
  expect(snapshot(root)).toEqual(before);
});

it("with trustUploads the same page is the share's own: it reads the share's files and writes", async () => {
  const { server, root, writes } = await shareWithUpload(true);
  const { outcome, policy } = await openUpload(server);
  expect(policy).toBeNull();
  expect(outcome).toEqual({ origin: server.url.replace(/\/$/, ""), read: SECRET, put: 201, form: "basic" });
  expect(writes).toEqual(["PUT /evil.html 201", "PUT /planted.txt 201", "POST / 303"]);
  expect(readFileSync(join(root, "planted.txt"), "utf8")).toBe("planted");
  expect(readFileSync(join(root, "planted-by-form.txt"), "utf8")).toBe("planted by a form");
});
