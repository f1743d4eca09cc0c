/** Writes the conformance fixture to a temporary directory, with a secret outside it. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { nameBytes } from "@simplehttp/core";
import { fixtureFiles, gzipText, MTIME } from "../conformance/fixture.ts";

/** The secret beside the root: no response may ever contain it. */
export const OUTSIDE_SECRET = "TOP-SECRET-outside-the-root";

export interface DiskFixture {
  /** The temporary directory holding `root/` and `secret.txt`. */
  base: string;
  root: string;
}

export async function writeFixture(): Promise<DiskFixture> {
  const base = mkdtempSync(join(tmpdir(), "simplehttp-conformance-"));
  const root = join(base, "root");
  writeFileSync(join(base, "secret.txt"), OUTSIDE_SECRET);
  const files = fixtureFiles(await gzipText());
  for (const [path, content] of Object.entries(files)) {
    // A name that is not UTF-8 is written as its own bytes (a string would write U+FFFD).
    const full = Buffer.from(nameBytes(join(root, path)));
    if (path.endsWith("/")) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(Buffer.from(nameBytes(dirname(join(root, path)))), { recursive: true });
    writeFileSync(full, content);
    utimesSync(full, MTIME / 1000, MTIME / 1000);
  }
  // What only a real filesystem has: links out of the root, a link inside it, broken links, a FIFO.
  symlinkSync("../secret.txt", join(root, "escape.txt"));
  symlinkSync("..", join(root, "escape-dir"));
  symlinkSync("hello.txt", join(root, "inside-link.txt"));
  symlinkSync("nowhere", join(root, "dangling"));
  symlinkSync("loop-b", join(root, "loop-a"));
  symlinkSync("loop-a", join(root, "loop-b"));
  execFileSync("mkfifo", [join(root, "fifo")]);
  return { base, root };
}
