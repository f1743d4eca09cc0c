/**
 * CORS with a password, in real Chromium: a page of one origin reads a file of another that asks
 * for Basic authentication. Its fetch sends `Authorization`, which needs a preflight the server
 * must allow by name (Fetch standard §3.2.3: a `*` never covers it).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, serve } from "@simplehttp/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BrowserSession } from "./browser.ts";

let root: string;
let page: RunningServer;
let files: RunningServer;
let browser: BrowserSession;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "simplehttp-cors-"));
  writeFileSync(join(root, "page.html"), "<!doctype html><title>the other origin</title>");
  writeFileSync(join(root, "a.txt"), "shared with a password\n");
  // Two origins: the same host, another port (RFC 6454 §4).
  page = await serve({ root, port: 0, hostname: "127.0.0.1" });
  const auth = { users: [{ user: "ana", password: "s3cret" }] };
  files = await serve({ root, port: 0, hostname: "127.0.0.1", cors: true, auth });
  browser = await BrowserSession.launch();
});

afterAll(async () => {
  await browser?.close();
  await page?.close();
  await files?.close();
  rmSync(root, { recursive: true, force: true });
});

it("a page of another origin reads a file with its password: the preflight allows Authorization", async () => {
  const { page: tab } = await browser.open(`${page.url}page.html`);
  const answer = (authorization: string | null) =>
    tab.evaluate(
      async ({ url, authorization }) => {
        try {
          // Each fetch must reach the server: the first answer carries Last-Modified, from which
          // Chromium may reuse it for a while without asking (RFC 9111 §4.2.2), and then the fetch
          // without the password got the file from its cache (a full run failed so, once).
          const init: RequestInit = { cache: "no-store" };
          if (authorization !== null) init.headers = { authorization };
          const response = await fetch(url, init);
          return { status: response.status, text: await response.text() };
        } catch (error) {
          return { status: 0, text: String(error) };
        }
      },
      { url: `${files.url}a.txt`, authorization },
    );
  expect(await answer(`Basic ${Buffer.from("ana:s3cret").toString("base64")}`)).toEqual({
    status: 200,
    text: "shared with a password\n",
  });
  // Without the password the page still learns why: the 401 carries the CORS headers too.
  expect((await answer(null)).status).toBe(401);
  expect((await answer(`Basic ${Buffer.from("ana:wrong").toString("base64")}`)).status).toBe(401);
  await browser.closeContexts();
});
