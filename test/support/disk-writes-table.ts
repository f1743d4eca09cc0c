/**
 * The disk's own write cases, beyond the contract (write-table.ts): symlinks on the way and at the
 * target, a folder swapped for a link between its check and the write, temporary files kept out
 * of listings, removes that never follow a link, readers during replaces, and the crash clean-up's
 * rule for this process's own files. Run in the runtime under test (write-probe.ts) on the tree
 * of disk-writes-check.ts.
 */
import { writeFileSync } from "node:fs";
import {
  type DiskCase,
  DiskCheck,
  pausedBody,
  swapForLink,
  TARGET,
  TEMP_PREFIX,
  writeTree,
} from "./disk-writes-check.ts";
import { LATER_CASES } from "./disk-writes-later.ts";
import { NAME_CASES } from "./disk-writes-names.ts";
import { PARTIAL_DISK_CASES } from "./disk-writes-partial.ts";
import type { WriteSubject } from "./write-probe.ts";
import { bodyOf, type WriteCaseResult } from "./write-table.ts";

const CASES: DiskCase[] = [
  {
    name: "put, mkdir, move and copy through a folder link that leads out are refused; nothing is written outside",
    async run(c) {
      await c.rejects("a put through it", c.put("out-dir/x.txt", "x"), "ENOENT");
      await c.rejects("a put through it, with parents", c.put("out-dir/x.txt", "x", { parents: true }), "ENOENT");
      await c.rejects("a put below it", c.put("out-dir/deep/x.txt", "x", { parents: true }), "ENOENT");
      await c.rejects("a mkdir in it", c.writes.mkdir("out-dir/new"), "ENOENT");
      await c.put("mine.txt", "mine");
      await c.rejects("a move into it", c.writes.move("mine.txt", "out-dir/mine.txt", false), "ENOENT");
      await c.rejects("a copy into it", c.writes.copy("mine.txt", "out-dir/mine.txt", true), "ENOENT");
      await c.rejects("a move out of it", c.writes.move("out-dir/keep.txt", "stolen.txt", false), "ENOENT");
      await c.rejects("a copy of a file link out", c.writes.copy("out-file.txt", "stolen.txt", false), "ENOENT");
      if ((await c.text("mine.txt")) !== "mine") c.fail("mine.txt changed");
      if ((await c.fs.stat("stolen.txt")) !== null) c.fail("stolen.txt exists");
      c.outsideUntouched();
    },
  },
  {
    name: "a symlink at the target, inside or out, is never replaced nor written through",
    async run(c) {
      for (const link of ["in-file.txt", "out-file.txt"]) {
        await c.rejects(`a replace of ${link}`, c.put(link, "new", { mode: "replace" }), "EEXIST");
        await c.rejects(`a create at ${link}`, c.put(link, "new"), "EEXIST");
        await c.put("over.txt", "over");
        await c.rejects(`a move over ${link}`, c.writes.move("over.txt", link, true), "EEXIST");
        await c.rejects(`a copy over ${link}`, c.writes.copy("over.txt", link, true), "EEXIST");
        await c.writes.remove("over.txt");
        if (!c.isLink(link)) c.fail(`${link} is no longer a link`);
      }
      await c.rejects("a mkdir at a folder link", c.writes.mkdir("in-dir"), "EEXIST");
      if ((await c.text("sub/target.txt")) !== TARGET) c.fail("the file behind in-file.txt changed");
      c.outsideUntouched();
    },
  },
  {
    name: "a dangling symlink at the target is refused: no file appears where it points",
    async run(c) {
      await c.rejects("a create at it", c.put("dangling.txt", "planted"), "EEXIST");
      await c.rejects("a replace of it", c.put("dangling.txt", "planted", { mode: "replace" }), "EEXIST");
      await c.rejects("a mkdir at it", c.writes.mkdir("dangling.txt"), "EEXIST");
      if (!c.isLink("dangling.txt")) c.fail("dangling.txt is no longer a link");
      c.outsideUntouched();
    },
  },
  {
    name: "a folder swapped for a link out after its check: the new file is found outside, refused and removed",
    async run(c) {
      let swapped = false;
      const swapOnce = (name: string) => (path: string) => {
        if (!swapped && path.endsWith(`/root/${name}`)) {
          swapped = true;
          swapForLink(c.base, name);
        }
      };
      const putting = c.subject.hookedWrites(`${c.base}/root`, swapOnce("race"));
      await c.rejects(
        "the put",
        putting.put("race/x.txt", bodyOf("x"), { mode: "create", maxBytes: 10, parents: false }),
        "ENOENT",
      );
      if (!swapped) c.fail("the folder was never swapped");
      swapped = false;
      const making = c.subject.hookedWrites(`${c.base}/root`, swapOnce("race-mkdir"));
      await c.rejects("the mkdir", making.mkdir("race-mkdir/new"), "ENOENT");
      if (!swapped) c.fail("the second folder was never swapped");
      c.outsideUntouched();
    },
  },
  {
    name: "temporary files are never listed: a write in progress, nor one left behind",
    async run(c) {
      writeFileSync(`${c.base}/root/listed/${TEMP_PREFIX}${c.subject.pid}-left`, "left behind");
      await c.put("listed/seen.txt", "seen");
      const { body, started, release } = pausedBody();
      const writing = c.put("listed/slow.txt", body);
      await started;
      const names = (await c.fs.readDir("listed")).map((entry) => entry.name);
      if (names.join("/") !== "seen.txt") c.fail(`listed/ lists ${names.join(", ")} during the write`);
      if (c.onDisk("root/listed").filter((name) => name.startsWith(TEMP_PREFIX)).length !== 2) {
        c.fail(`the disk holds ${c.onDisk("root/listed").join(", ")}: not the write's temporary file`);
      }
      release();
      await writing;
      const after = (await c.fs.readDir("listed")).map((entry) => entry.name).sort();
      if (after.join("/") !== "seen.txt/slow.txt") c.fail(`listed/ lists ${after.join(", ")} after the write`);
    },
  },
  ...LATER_CASES,
  ...NAME_CASES,
  ...PARTIAL_DISK_CASES,
];

/**
 * Writes the tree in the empty folder `base` and runs every case against `subject`, in order.
 *
 * @returns what each case found
 */
export async function runDiskWriteTable(subject: WriteSubject, base: string): Promise<WriteCaseResult[]> {
  writeTree(base);
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
export const DISK_WRITE_CASE_NAMES: readonly string[] = CASES.map((each) => each.name);
