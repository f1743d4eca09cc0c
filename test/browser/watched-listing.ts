/**
 * The set-up both listing suites share: the fixture served once, one Chromium, and after every
 * test a check that no page it opened logged an error, broke its CSP, or fetched anything but
 * documents and, in the gallery, the images it shows.
 */
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { BrowserSession, misbehaviour } from "./browser.ts";
import { type FixtureServer, IMAGES, serveFixture } from "./fixture.ts";

export interface WatchedListing {
  /** The fixture's origin, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly browser: BrowserSession;
}

/** Registers the suite's hooks; the returned object is usable from `beforeAll` on. */
export function watchedListing(): WatchedListing {
  let server: FixtureServer | undefined;
  let browser: BrowserSession | undefined;
  beforeAll(async () => {
    server = await serveFixture();
    browser = await BrowserSession.launch();
  });
  afterEach(async () => {
    expect(misbehaviour(await session.browser.closeContexts(), session.url, Object.keys(IMAGES))).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const session: WatchedListing = {
    get url() {
      if (!server) throw new Error("the fixture is served from beforeAll on");
      return server.url;
    },
    get browser() {
      if (!browser) throw new Error("Chromium is launched from beforeAll on");
      return browser;
    },
  };
  return session;
}
