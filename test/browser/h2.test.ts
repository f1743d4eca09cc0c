/**
 * The listing page over HTTPS from the Node adapter, in real Chromium: the browser negotiates
 * HTTP/2 (ALPN h2, RFC 9113 §3.2) and the page works as over HTTP/1.1. The test certificate is
 * self-signed, so this context alone accepts it (`ignoreHTTPSErrors`); nothing else is relaxed.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { testCertificate } from "../support/test-certificate.ts";
import { BrowserSession, misbehaviour } from "./browser.ts";
import { type FixtureServer, IMAGES, ROOT_ENTRY_COUNT, serveFixture } from "./fixture.ts";

let server: FixtureServer;
let browser: BrowserSession;

beforeAll(async () => {
  server = await serveFixture({ tls: testCertificate() });
  browser = await BrowserSession.launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it("loads the listing over HTTP/2: the navigation's nextHopProtocol is h2, and every entry is listed", async () => {
  expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  const { page } = await browser.open(server.url, { ignoreHTTPSErrors: true });
  const protocol = await page.evaluate(
    () => (performance.getEntries()[0] as PerformanceNavigationTiming).nextHopProtocol,
  );
  expect(protocol).toBe("h2");
  expect(await page.locator("#list .e").count()).toBe(ROOT_ENTRY_COUNT);
  // A link followed over the same connection is HTTP/2 as well.
  await page.locator("#list .e a", { hasText: "nested café/" }).first().click();
  await page.waitForURL(/nested%20caf/);
  expect(await page.evaluate(() => (performance.getEntries()[0] as PerformanceNavigationTiming).nextHopProtocol)).toBe(
    "h2",
  );
  expect(misbehaviour(await browser.closeContexts(), server.url, Object.keys(IMAGES))).toEqual([]);
});
