/**
 * The set-up of the suites that write through the listing page: an empty temporary folder served
 * by `@simplehttp/node` in this process with writes on, one Chromium, a folder of its own for each
 * test, and after every test the same check as the read-only suites' (watched-listing.ts): no page
 * logged an error or broke its CSP, and it asked for nothing but documents and, from its script,
 * the share itself.
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { WriteOptions } from "@simplehttp/core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { BrowserSession, misbehaviour, WAIT_MS } from "./browser.ts";
import { type ServedFolder, serveTree, writeTree } from "./folders.ts";

/** A writable listing, served. */
export interface WritableListing {
  /** The share's origin, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** The served folder on disk. */
  readonly root: string;
  readonly browser: BrowserSession;
  /** A new empty folder for one test (`name`, or one made up): its name, its URL, its path on disk. */
  fresh(name?: string): { name: string; url: string; path: string };
}

/**
 * How long `expect.poll` waits for what the page shows: its own default is a second, too short
 * for a machine shared with other work.
 */
export const soon = { timeout: WAIT_MS };

/**
 * Chromium logs every answer of 400 and above as "Failed to load resource", a console error: a
 * refusal the page shows (an upload that exists, a rename onto a taken name) is one, and each test
 * checks what the page showed instead.
 */
const REFUSAL_LOGGED = /^console error: Failed to load resource: the server responded with a status of 4\d\d /;

/** Registers the suite's hooks for a share with `write`; the returned object is usable from `beforeAll` on. */
export function writableListing(write: WriteOptions): WritableListing {
  let server: ServedFolder | undefined;
  let browser: BrowserSession | undefined;
  let folders = 0;
  // What the handler reports (its onError): only uploads the page cancelled, whose requests ended
  // before their bodies did, are expected.
  const errors: unknown[] = [];
  beforeAll(async () => {
    server = await serveTree(writeTree([]), { write, onError: (error) => errors.push(error) });
    browser = await BrowserSession.launch();
  });
  afterEach(async () => {
    const pages = await listing.browser.closeContexts();
    const problems = misbehaviour(pages, listing.url, [], ["xhr", "fetch"]);
    expect(problems.filter((problem) => !REFUSAL_LOGGED.test(problem))).toEqual([]);
    const unexpected = errors.splice(0).filter((error) => (error as { code?: string }).code !== "ECONNRESET");
    expect(unexpected).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const listing: WritableListing = {
    get url() {
      if (!server) throw new Error("the share is served from beforeAll on");
      return server.url;
    },
    get root() {
      if (!server) throw new Error("the share is served from beforeAll on");
      return server.root;
    },
    get browser() {
      if (!browser) throw new Error("Chromium is launched from beforeAll on");
      return browser;
    },
    fresh(name = `t${++folders}`) {
      const path = join(listing.root, name);
      mkdirSync(path);
      return { name, url: `${listing.url}${encodeURIComponent(name)}/`, path };
    },
  };
  return listing;
}

/** Every file under `dir`, `/`-separated and sorted, with its bytes as text. */
export function treeOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "latin1");
    }
  };
  walk(dir);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}
