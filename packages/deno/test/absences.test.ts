/**
 * The record of names missing under the root (src/absences.ts): a name missed again and again is
 * answered from it, and it never hides a file created afterwards. Deno runs fixture-server.ts on
 * a root whose time is a minute old, as a served folder's usually is.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet } from "../../../test/support/raw-http.ts";
import { type Fixture, launchOrThrow, stop } from "./launch.ts";

let root: string;
let fixture: Fixture;

/** The root's time set a minute back, as if nothing had changed in it lately. */
const settle = (): void => {
  const past = new Date(Date.now() - 60_000);
  utimesSync(root, past, past);
};

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-absences-")));
  settle();
  fixture = await launchOrThrow({ root, module: "../src/index.ts" });
});

afterAll(async () => {
  if (fixture) await stop(fixture);
  rmSync(root, { recursive: true, force: true });
});

describe("names missing under the root, on Deno", () => {
  it("serves a file created after its name was missed again and again, at once", async () => {
    for (let i = 0; i < 4; i++) expect((await rawGet(fixture.port, "/later.txt")).status).toBe(404);
    writeFileSync(join(root, "later.txt"), "here now\n");
    const found = await rawGet(fixture.port, "/later.txt");
    expect(found.status).toBe(200);
    expect(found.body.toString()).toBe("here now\n");
  });

  it("shows the site's 404.html as soon as it is written, after 404s without one", async () => {
    settle();
    for (let i = 0; i < 4; i++) {
      const plain = await rawGet(fixture.port, `/nothing-${i}`);
      expect(plain.status).toBe(404);
      expect(plain.body.toString()).not.toContain("our own page");
    }
    writeFileSync(join(root, "404.html"), "<p>our own page</p>\n");
    const page = await rawGet(fixture.port, "/nothing-else");
    expect(page.status).toBe(404);
    expect(page.body.toString()).toBe("<p>our own page</p>\n");
  });

  it("follows a _redirects written after many requests answered without one, at once", async () => {
    writeFileSync(join(root, "page.txt"), "the page\n");
    settle();
    for (let i = 0; i < 4; i++) expect((await rawGet(fixture.port, "/page.txt")).status).toBe(200);
    writeFileSync(join(root, "_redirects"), "/page.txt /elsewhere 301\n");
    const moved = await rawGet(fixture.port, "/page.txt");
    expect(moved.status).toBe(301);
    expect(moved.headers.location).toBe("/elsewhere");
    rmSync(join(root, "_redirects"));
  });

  it("serves a link under the root as soon as the file it leads to is made, in a folder of its own", async () => {
    // Making sub/target.txt changes sub's time, not the root's: a link leading nowhere is never recorded.
    mkdirSync(join(root, "sub"));
    symlinkSync("sub/target.txt", join(root, "linked.txt"));
    settle();
    for (let i = 0; i < 4; i++) expect((await rawGet(fixture.port, "/linked.txt")).status).toBe(404);
    writeFileSync(join(root, "sub/target.txt"), "at the end of the link\n");
    const found = await rawGet(fixture.port, "/linked.txt");
    expect(found.status).toBe(200);
    expect(found.body.toString()).toBe("at the end of the link\n");
  });

  it("finds a name missed while the root was just changed, and later written", async () => {
    writeFileSync(join(root, "touch.txt"), "the root changes now\n");
    for (let i = 0; i < 3; i++) expect((await rawGet(fixture.port, "/soon.txt")).status).toBe(404);
    writeFileSync(join(root, "soon.txt"), "soon\n");
    expect((await rawGet(fixture.port, "/soon.txt")).status).toBe(200);
  });
});
