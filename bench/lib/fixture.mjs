// The served folder, made fresh in a temp dir for each run, with known contents to check answers against.
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const LISTING_ENTRIES = 1000;
export const RANGE = { start: 512 * KiB, length: 1000 }; // 1,000 bytes from the middle of the 1 MiB file

/** big: false leaves out the 100 MiB file (the scale scenarios of lib/scale.mjs do not read it). */
export function makeFixture({ big = true } = {}) {
  const base = mkdtempSync(join(tmpdir(), "simplehttp-bench-"));
  const root = join(base, "www");
  mkdirSync(root);
  const small = randomBytes(1 * KiB);
  const medium = randomBytes(64 * KiB);
  const oneMiB = randomBytes(1 * MiB);
  writeFileSync(join(root, "1k.bin"), small);
  writeFileSync(join(root, "64k.bin"), medium);
  writeFileSync(join(root, "1m.bin"), oneMiB);

  // 100 MiB, written in 1 MiB chunks of random bytes; its sha256 is the check for every full read.
  const hash = createHash("sha256");
  if (big) {
    const fd = openSync(join(root, "100m.bin"), "w");
    for (let i = 0; i < 100; i++) {
      const chunk = randomBytes(MiB);
      hash.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }

  const dir = join(root, "dir");
  mkdirSync(dir);
  const names = [];
  for (let i = 0; i < LISTING_ENTRIES; i++) {
    const name = `entry-${String(i).padStart(4, "0")}.txt`;
    names.push(name);
    writeFileSync(join(dir, name), `entry ${i}\n`);
  }
  // Rewritten by the freshness check (scenarios.mjs), which reads it from disk each time.
  writeFileSync(join(root, "fresh.txt"), "as written when the fixture was made\n");

  // nginx workers drop root privileges; let them read the tree.
  for (const p of [base, root, dir]) chmodSync(p, 0o755);

  return {
    base,
    root,
    files: {
      "/1k.bin": small,
      "/64k.bin": medium,
      "/1m.bin": oneMiB,
    },
    big: big ? { path: "/100m.bin", size: 100 * MiB, sha256: hash.digest("hex") } : null,
    range: {
      path: "/1m.bin",
      ...RANGE,
      size: oneMiB.length,
      bytes: oneMiB.subarray(RANGE.start, RANGE.start + RANGE.length),
    },
    listing: { path: "/dir/", dir, names },
    missing: "/no-such-file.txt",
    fresh: { path: "/fresh.txt", file: join(root, "fresh.txt") },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/**
 * A folder of `count` empty files in the served root, for the huge-listing scenario: names
 * `e000000.txt`… (short, so that no server truncates them, and easy to count in any listing's HTML).
 * Empty files cost one inode each and no data blocks: 100,000 of them take a second or two.
 */
export function makeBigFolder(root, count) {
  const name = `big${count}`;
  const dir = join(root, name);
  mkdirSync(dir);
  for (let i = 0; i < count; i++) closeSync(openSync(join(dir, `e${String(i).padStart(6, "0")}.txt`), "w"));
  chmodSync(dir, 0o755);
  return { path: `/${name}/`, dir, count };
}
