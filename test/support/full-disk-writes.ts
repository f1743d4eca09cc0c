/**
 * Writes onto a full disk and across filesystems: `<base>/root/full` is a tmpfs of 1 MiB mounted
 * inside the root (disk-writes-suite.ts mounts it, as root), `<base>/root` holds `a.txt`, `dir/`
 * and the 2 MiB `big.bin` on the disk beside it. Run in the runtime under test (write-probe.ts).
 */
import { statSync } from "node:fs";
import { type DiskCase, DiskCheck } from "./disk-writes-check.ts";
import type { WriteSubject } from "./write-probe.ts";
import type { WriteCaseResult } from "./write-table.ts";

/** Twice the tmpfs. */
export const BIG = 2 * 1024 * 1024;

const CASES: DiskCase[] = [
  {
    name: "a put past the free space fails with ENOSPC and leaves nothing, not even a temporary file",
    async run(c) {
      await c.rejects("a put of 2 MiB", c.put("full/big.bin", new Uint8Array(BIG)), "ENOSPC");
      c.expectOnDisk("root/full", []);
    },
  },
  {
    name: "a replace that does not fit fails with ENOSPC and keeps the old file whole",
    async run(c) {
      await c.put("full/old.txt", "old");
      await c.rejects("a replace of 2 MiB", c.put("full/old.txt", new Uint8Array(BIG), { mode: "replace" }), "ENOSPC");
      if ((await c.text("full/old.txt")) !== "old") c.fail("full/old.txt changed");
      c.expectOnDisk("root/full", ["old.txt"]);
    },
  },
  {
    name: "a move onto another filesystem copies, then removes the source: a file and a folder",
    async run(c) {
      const moved = await c.writes.move("a.txt", "full/a.txt", false);
      if (!moved.created) c.fail("the move said created: false");
      await c.writes.move("dir", "full/dir", false);
      if ((await c.text("full/a.txt")) !== "a") c.fail("full/a.txt is not a.txt");
      if ((await c.text("full/dir/inner.txt")) !== "inner") c.fail("full/dir/inner.txt is not dir/inner.txt");
      for (const gone of ["a.txt", "dir"]) if ((await c.fs.stat(gone)) !== null) c.fail(`${gone} is still there`);
      c.expectOnDisk("root/full", ["a.txt", "dir", "old.txt"]);
    },
  },
  {
    name: "a move onto a full filesystem fails with ENOSPC and leaves the source whole, nothing at the target",
    async run(c) {
      await c.rejects("a move of 2 MiB", c.writes.move("big.bin", "full/big.bin", false), "ENOSPC");
      if (statSync(`${c.base}/root/big.bin`).size !== BIG) c.fail("big.bin changed");
      c.expectOnDisk("root/full", ["a.txt", "dir", "old.txt"]);
    },
  },
];

/**
 * Runs every case against `subject`, over `<base>/root`.
 *
 * @returns what each case found
 */
export async function runFullDiskTable(subject: WriteSubject, base: string): Promise<WriteCaseResult[]> {
  const fs = subject.fileSystem(`${base}/root`);
  const writes = fs.writes;
  if (writes === undefined) throw new Error("this filesystem has no writes");
  const results: WriteCaseResult[] = [];
  for (const each of CASES) {
    const check = new DiskCheck(fs, writes, subject, base);
    try {
      await each.run(check);
    } catch (error) {
      check.fail(`threw ${String(error)} (code ${String((error as { code?: unknown } | null)?.code)})`);
    }
    results.push({ name: each.name, problems: check.problems });
  }
  return results;
}

/** The names of the cases, in order, for the vitest side. */
export const FULL_DISK_CASE_NAMES: readonly string[] = CASES.map((each) => each.name);
