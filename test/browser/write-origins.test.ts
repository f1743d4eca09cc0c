/**
 * Cross-site writes in real Chromium: a page of another origin (the same host, another port: RFC
 * 6454 §4) tries to write to a share with writes on, by `fetch(…, { method: "PUT" })`, by a form
 * `POST` (a CORS "simple request", sent without a preflight: the CSRF of simple-http-server#57)
 * and by a `no-cors` fetch of a form. Nothing is written; the share's access log shows which
 * writes the browser sent and the 403 each got. A page of the share's own origin writes.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AccessLogEntry } from "@simplehttp/core";
import { type RunningServer, serve } from "@simplehttp/node";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "../writes/fixture.ts";
import { BrowserSession } from "./browser.ts";

let base: string;
let root: string;
let attacker: RunningServer;
/** Writes on, no CORS; with CORS for every origin (`*`); with CORS naming the attacker's origin. */
let share: RunningServer;
let shareForAll: RunningServer;
let shareForAttacker: RunningServer;
let browser: BrowserSession;
/** The writes each share was sent (method, target, status), in order. */
const received = new Map<RunningServer, string[]>();

async function writeShare(options: { cors?: true | { origin: string } } = {}): Promise<RunningServer> {
  const log: string[] = [];
  const onRequest = (entry: AccessLogEntry) => {
    if (!["GET", "HEAD", "OPTIONS"].includes(entry.method)) log.push(`${entry.method} ${entry.target} ${entry.status}`);
  };
  const server = await serve({ root, port: 0, hostname: "127.0.0.1", write: { upload: true }, onRequest, ...options });
  received.set(server, log);
  return server;
}

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-write-origins-")));
  root = join(base, "share");
  mkdirSync(join(base, "attacker"));
  mkdirSync(root);
  writeFileSync(join(root, "hello.txt"), "hello\n");
  writeFileSync(join(base, "attacker/page.html"), "<!doctype html><title>another origin</title>");
  attacker = await serve({ root: join(base, "attacker"), port: 0, hostname: "127.0.0.1" });
  share = await writeShare();
  shareForAll = await writeShare({ cors: true });
  shareForAttacker = await writeShare({ cors: { origin: attacker.url.replace(/\/$/, "") } });
  browser = await BrowserSession.launch();
});

afterEach(async () => {
  await browser.closeContexts();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([attacker, share, shareForAll, shareForAttacker].map((server) => server?.close()));
  rmSync(base, { recursive: true, force: true });
});

/** What `fetch(url, { method: "PUT", body })` gives the page: the status, or the error the browser threw. */
function putFrom(page: Page, url: string, body = "planted by another origin"): Promise<number | string> {
  return page.evaluate(
    async ({ url, body }) => {
      try {
        return (await fetch(url, { method: "PUT", body })).status;
      } catch (error) {
        return String(error);
      }
    },
    { url, body },
  );
}

/** Submits a multipart form of one file to `action`, as a page's own form does; answers the status. */
async function submitForm(page: Page, action: string): Promise<number> {
  const answered = page.waitForResponse((response) => response.request().method() === "POST");
  await page.evaluate((action) => {
    const form = document.createElement("form");
    Object.assign(form, { method: "POST", enctype: "multipart/form-data", action });
    const input = Object.assign(document.createElement("input"), { type: "file", name: "files" });
    const files = new DataTransfer();
    files.items.add(new File(["planted by a form"], "from-a-form.txt"));
    input.files = files.files;
    form.append(input);
    document.body.append(form);
    form.submit();
  }, action);
  return (await answered).status();
}

/** A `no-cors` fetch of a form (a simple request: no preflight), whose answer the page cannot read. */
function noCorsFormFrom(page: Page, action: string): Promise<string> {
  return page.evaluate(async (action) => {
    const form = new FormData();
    form.append("files", new File(["planted by a no-cors fetch"], "from-no-cors.txt"));
    return (await fetch(action, { method: "POST", mode: "no-cors", body: form })).type;
  }, action);
}

describe("a page of another origin", () => {
  it("cannot write to a share without CORS: the PUT never leaves the browser, the form POSTs get 403", async () => {
    const before = snapshot(root);
    const { page } = await browser.open(`${attacker.url}page.html`);
    // The preflight finds no CORS: the browser refuses the PUT itself (Fetch standard §4.8).
    expect(await putFrom(page, `${share.url}from-fetch.txt`)).toMatch(/^TypeError: Failed to fetch/);
    expect(await noCorsFormFrom(page, share.url)).toBe("opaque");
    // The simple requests reached the share, which refused them as cross-site.
    expect(await submitForm(page, share.url)).toBe(403);
    expect(await page.textContent("body")).toContain("a write from another site's page is refused");
    expect(received.get(share)).toEqual(["POST / 403", "POST / 403"]);
    expect(snapshot(root)).toEqual(before);
  });

  it("cannot write to a share whose CORS lets every origin read: its PUT arrives, and gets 403", async () => {
    const before = snapshot(root);
    const { page } = await browser.open(`${attacker.url}page.html`);
    expect(await putFrom(page, `${shareForAll.url}from-fetch.txt`)).toBe(403);
    expect(await submitForm(page, shareForAll.url)).toBe(403);
    expect(received.get(shareForAll)).toEqual(["PUT /from-fetch.txt 403", "POST / 403"]);
    expect(snapshot(root)).toEqual(before);
  });

  it("writes to a share whose CORS names its origin: the one way a page elsewhere may write", async () => {
    const { page } = await browser.open(`${attacker.url}page.html`);
    expect(await putFrom(page, `${shareForAttacker.url}named-origin.txt`)).toBe(201);
    expect(readFileSync(join(root, "named-origin.txt"), "utf8")).toBe("planted by another origin");
    rmSync(join(root, "named-origin.txt"));
  });
});

describe("a page of the share's own origin", () => {
  it("writes: a PUT is 201 and a form POST stores its file", async () => {
    const { page } = await browser.open(`${share.url}hello.txt`);
    expect(await putFrom(page, `${share.url}own-origin.txt`, "written by the share's own page")).toBe(201);
    expect(readFileSync(join(root, "own-origin.txt"), "utf8")).toBe("written by the share's own page");
    expect(await submitForm(page, share.url)).toBe(303);
    expect(readFileSync(join(root, "from-a-form.txt"), "utf8")).toBe("planted by a form");
  });
});
