/**
 * The verified open's answer beyond servable or not (the containment table checks that, in
 * test/support/containment-table.ts): the name a runtime may open the file by again (step 4 of the
 * rule in src/open.ts), which Bun hands to `Bun.file()`.
 */
import { closeSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containment, openVerified } from "../src/index.js";

let base: string;
let root: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-disk-open-")));
  root = join(base, "root");
  mkdirSync(join(root, "dir"), { recursive: true });
  writeFileSync(join(root, "dir", "a.txt"), "a\n");
  writeFileSync(join(root, "b.txt (deleted)"), "b\n");
  symlinkSync("dir/a.txt", join(root, "link.txt"));
  symlinkSync("dir", join(root, "dir-link"));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

/** `real` of the verified open of `path` under the root, its descriptor closed. */
function realOf(path: string, viaProc: boolean, contained = true): string | Buffer {
  const file = openVerified(join(root, path), contained ? containment(root) : null, viaProc);
  closeSync(file.fd);
  return file.real;
}

describe.each([
  ["through /proc/self/fd", true],
  ["by the portable check", false],
])("the name found %s", (_how, viaProc) => {
  it("has no link left in it, wherever the path asked ran through links", () => {
    expect(realOf("link.txt", viaProc)).toBe(join(root, "dir", "a.txt"));
    expect(realOf("dir-link/a.txt", viaProc)).toBe(join(root, "dir", "a.txt"));
  });

  it("is the file's own for a name that merely ends as Linux marks an unlinked file", () => {
    expect(realOf("b.txt (deleted)", viaProc)).toBe(join(root, "b.txt (deleted)"));
  });

  it("is the path asked when every symlink is followed", () => {
    expect(realOf("dir-link/a.txt", viaProc, false)).toBe(join(root, "dir-link/a.txt"));
  });
});
