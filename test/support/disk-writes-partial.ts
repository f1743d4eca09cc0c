/**
 * The disk's own cases of resumable uploads (beyond partial-write-table.ts): where the incomplete
 * file lies and when it goes, a folder swapped for a link out between pieces, the file itself
 * swapped, and an upload untouched for a day removed from the disk. Run by disk-writes-table.ts.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import type { PartialWrites } from "@simplehttp/core";
import { type DiskCase, type DiskCheck, swapForLink, TEMP_PREFIX } from "./disk-writes-check.ts";
import { bodyOf } from "./write-table.ts";

const HOUR_MS = 60 * 60 * 1000;

/** The partial writes of `c`'s filesystem. */
function partialOf(c: DiskCheck): PartialWrites {
  const { partial } = c.writes;
  if (partial === undefined) throw new Error("no resumable uploads");
  return partial;
}

const begin = (partial: PartialWrites, path: string, length: number) =>
  partial.begin(path, { length, mode: "create", maxBytes: 1 << 20, parents: false });

/** The temporary names in `root/<dir>` on the disk. */
const tempsIn = (c: DiskCheck, dir: string): string[] =>
  c.onDisk(`root/${dir}`).filter((n) => n.startsWith(TEMP_PREFIX));

export const PARTIAL_DISK_CASES: DiskCase[] = [
  {
    name: "an upload's file is a temporary file in its target's folder, never listed; finish and abort leave none",
    async run(c) {
      const partial = partialOf(c);
      const id = await begin(partial, "partial/a.txt", 6);
      await partial.append("partial/a.txt", id, 0, bodyOf("abc"));
      const [temp] = tempsIn(c, "partial");
      if (temp === undefined || !temp.startsWith(`${TEMP_PREFIX}${c.subject.pid}-`)) {
        c.fail(`the folder holds ${c.onDisk("root/partial").join(", ")} during the upload`);
      } else if (readFileSync(`${c.base}/root/partial/${temp}`, "utf8") !== "abc")
        c.fail("the piece is not on the disk");
      if ((await c.fs.readDir("partial")).length !== 0) c.fail("the upload is listed");
      await partial.append("partial/a.txt", id, 3, bodyOf("def"));
      await partial.finish("partial/a.txt", id);
      c.expectOnDisk("root/partial", ["a.txt"]);
      const aborted = await begin(partial, "partial/b.txt", 6);
      await partial.append("partial/b.txt", aborted, 0, bodyOf("abc"));
      await partial.abort("partial/b.txt", aborted);
      c.expectOnDisk("root/partial", ["a.txt"]);
    },
  },
  {
    name: "an upload through a link out is refused; a folder swapped for one between pieces ends it, none written out",
    async run(c) {
      const partial = partialOf(c);
      await c.rejects("a begin through a link out", begin(partial, "out-dir/x.txt", 1), "ENOENT");
      const id = await begin(partial, "race-partial/x.txt", 6);
      await partial.append("race-partial/x.txt", id, 0, bodyOf("abc"));
      swapForLink(c.base, "race-partial");
      const more = partial.append("race-partial/x.txt", id, 3, bodyOf("def"));
      await c.rejects("a piece after the swap", more, "ENOENT");
      await c.rejects("a finish after the swap", partial.finish("race-partial/x.txt", id), "ENOENT");
      c.outsideUntouched();
    },
  },
  {
    name: "a file put in place of an upload's temporary file is never written nor given the name",
    async run(c) {
      const partial = partialOf(c);
      const id = await begin(partial, "partial/swapped.txt", 6);
      const [temp = ""] = tempsIn(c, "partial");
      const path = `${c.base}/root/partial/${temp}`;
      // Moved aside, not removed: a file made after a removal may be given the same inode number.
      renameSync(path, `${path}-aside`);
      writeFileSync(path, "planted");
      await c.rejects("a piece", partial.append("partial/swapped.txt", id, 0, bodyOf("abcdef")), "ENOENT");
      if (readFileSync(path, "utf8") !== "planted") c.fail("the planted file was written, or removed");
      if ((await c.fs.stat("partial/swapped.txt")) !== null) c.fail("the upload's name was given");
      unlinkSync(path);
      unlinkSync(`${path}-aside`);
    },
  },
  {
    name: "an upload untouched for a day is aborted and its file removed, at the next request; a touched one stays",
    async run(c) {
      let now = Date.now();
      const partial = c.subject.clockedWrites(`${c.base}/root`, () => now).partial;
      if (partial === undefined) return c.fail("no resumable uploads");
      const idle = await begin(partial, "partial/idle.txt", 6);
      const kept = await begin(partial, "partial/kept.txt", 6);
      await partial.append("partial/idle.txt", idle, 0, bodyOf("abc"));
      now += 23 * HOUR_MS;
      await partial.append("partial/kept.txt", kept, 0, bodyOf("abc"));
      now += 2 * HOUR_MS;
      if ((await partial.status("partial/idle.txt", idle)) !== null) c.fail("the idle upload is still there");
      if ((await partial.status("partial/kept.txt", kept))?.offset !== 3) c.fail("the touched upload is gone");
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (tempsIn(c, "partial").length !== 1) c.fail(`the folder holds ${c.onDisk("root/partial").join(", ")}`);
      await partial.abort("partial/kept.txt", kept);
    },
  },
];
