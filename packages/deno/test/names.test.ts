/**
 * @simplehttp/deno and file names that are not UTF-8 (Linux names are bytes). Deno cannot name
 * such a file: a string turns each lone surrogate into U+FFFD (so `inv\uDCFFalid.txt` opens the
 * file really named `inv\u{FFFD}alid.txt`), a file: URL with `%FF` throws URIError, node:fs turns a
 * Buffer path into a string the same lossy way, and readDir shows U+FFFD for the bytes; only
 * realPath and readLink are exact, and throw InvalidData. So such a name answers 404, never
 * another file's body and never 500; a listing shows what it can address, once; and containment
 * cannot take a sibling `www\xff` for a root `www\u{FFFD}`.
 *
 * Each case runs twice: with read permission on the root only (no /proc, so the portable check
 * decides) and with -A (Deno lets only a fully trusted script read /proc/self, the Linux check).
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { platformSkip } from "../../../test/setup/skip-reporter.ts";
import { bytes, expectTwinRefused, writeTwinTree } from "../../../test/support/byte-names.ts";
import { listedLinks } from "../../../test/support/listing.ts";
import { rawGet } from "../../../test/support/raw-http.ts";
import { type Fixture, killLeftovers, launchOrThrow, stop } from "./launch.ts";

// Only Linux lets a name be any bytes: macOS refuses one that is not UTF-8, Windows names are UTF-16.
const LINUX = process.platform === "linux";
const REAL = "U+FFFD really in its name\n";

let base: string;
let site: string;
let twinSecret: string;

beforeAll(() => {
  if (!LINUX) return;
  ({ base, site, secret: twinSecret } = writeTwinTree("simplehttp-deno-bytes-"));
  writeFileSync(join(base, "outside.txt"), twinSecret);
  // A name that is not UTF-8 (inv\xffalid.txt, from writeTwinTree) beside the one Deno would open in its place.
  writeFileSync(join(site, "inv\uFFFDalid.txt"), REAL);
  // Not UTF-8 and no twin: nothing Deno can reach.
  writeFileSync(bytes(`${site}/only`, 0xfe, ".txt"), "alone\n");
  mkdirSync(bytes(`${site}/dir`, 0xfe));
  writeFileSync(bytes(`${site}/dir`, 0xfe, "/in.txt"), "in a directory not UTF-8\n");
  // A plain file whose U+FFFD reading names a link out of the root: the entry's own type must not decide.
  writeFileSync(bytes(`${site}/sym`, 0xff, ".txt"), "plain\n");
  symlinkSync("../outside.txt", join(site, "sym\uFFFD.txt"));
  // Links inside the root to the twin outside it (twin-link.txt, twin-dir, from writeTwinTree),
  // and to a name inside that is not UTF-8.
  symlinkSync(bytes("inv", 0xff, "alid.txt"), join(site, "raw-link.txt"));
});

afterAll(() => {
  killLeftovers();
  if (base) rmSync(base, { recursive: true, force: true });
});

const links = (html: string): string[] => listedLinks(html).map((link) => `${link.href} ${link.label}`);

describe.each([
  ["TS source", "../src/index.ts"],
  ["built dist", "../dist/index.js"],
])("names that are not UTF-8 (%s)", (_label, module) => {
  describe.each([
    ["read permission on the root only", false],
    ["-A, with /proc", true],
  ])("%s", (_permissions, trusted) => {
    let server: Fixture;

    beforeAll(async () => {
      if (!LINUX) return;
      server = await launchOrThrow({ root: site, module, allowAll: trusted });
    });
    afterAll(async () => {
      if (server) await stop(server);
    });
    beforeEach((ctx) => ctx.skip(!LINUX, platformSkip("only Linux file names may be bytes that are not UTF-8")));

    it("answers 404 for a name Deno cannot spell, never serving the file named with U+FFFD in its place", async () => {
      for (const path of ["/inv%FFalid.txt", "/only%FE.txt", "/dir%FE/", "/dir%FE/in.txt", "/dir%FE", "/sym%FF.txt"]) {
        const response = await rawGet(server.port, path);
        expect(response.status, path).toBe(404);
        expect(response.body.toString(), path).not.toMatch(/U\+FFFD really|not UTF-8|alone|in a directory|plain/);
      }
      const head = await rawGet(server.port, "/inv%FFalid.txt", {}, { method: "HEAD" });
      expect(head.status).toBe(404);
    });

    it("serves a file really named with U+FFFD (EF BF BD) at /inv%EF%BF%BDalid.txt", async () => {
      const file = await rawGet(server.port, "/inv%EF%BF%BDalid.txt");
      expect(file.status).toBe(200);
      expect(file.body.toString()).toBe(REAL);
    });

    it("lists each name it can serve once, and leaves out those it cannot reach", async () => {
      const listing = await rawGet(server.port, "/");
      expect(listing.status).toBe(200);
      const shown = links(listing.body.toString());
      // Two entries read `inv\u{FFFD}alid.txt`; only the one really so named can be served.
      expect(shown.filter((link) => link.startsWith("inv"))).toEqual(["inv%EF%BF%BDalid.txt inv\uFFFDalid.txt"]);
      // `sym\xff.txt` is a plain file, but its U+FFFD reading names a link out of the root.
      expect(shown.filter((link) => /only|dir|sym|%F[EF]/.test(link))).toEqual([]);
    });

    it("never takes a sibling whose name differs by bytes that are not UTF-8 for the root", async () => {
      await expectTwinRefused(server.port, twinSecret, ["/twin-dir"]);
    });

    it("answers 404, not 500, for a link to a name inside that Deno cannot spell", async () => {
      // Inside the root, but Deno will not say where it leads (InvalidData), so it cannot be checked.
      expect((await rawGet(server.port, "/raw-link.txt")).status).toBe(404);
      expect(links((await rawGet(server.port, "/")).body.toString()).some((link) => link.includes("raw-link"))).toBe(
        false,
      );
    });
  });
});
