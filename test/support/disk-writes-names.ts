/**
 * The disk's write cases about names (disk-writes-table.ts runs them): the names temporary files
 * use, a folder moved into itself, and names that are not UTF-8, which Node and Bun write as their
 * bytes and Deno cannot spell. disk-writes-suite.ts makes `root/raw-made/inv\xffalid.txt` first:
 * Deno cannot.
 */
import { readdirSync } from "node:fs";
import { type DiskCase, TEMP_PREFIX } from "./disk-writes-check.ts";

/** The core's name for the bytes `inv\xffalid.txt` (a byte that is not UTF-8 as a lone surrogate). */
const RAW = "inv\uDCFFalid.txt";
const RAW_BYTES = Buffer.concat([Buffer.from("inv"), Buffer.of(0xff), Buffer.from("alid.txt")]);

export const NAME_CASES: DiskCase[] = [
  {
    name: "a name the temporary files use is refused (EINVAL), and so is a folder moved or copied into itself",
    async run(c) {
      await c.rejects("a put", c.put(`${TEMP_PREFIX}1-x`, "x"), "EINVAL");
      await c.rejects("a put below", c.put(`names/${TEMP_PREFIX}2-y/x.txt`, "x", { parents: true }), "EINVAL");
      await c.rejects("a mkdir", c.writes.mkdir(`${TEMP_PREFIX}3-z`), "EINVAL");
      await c.put("names/a.txt", "a", { parents: true });
      await c.rejects("a move to one", c.writes.move("names/a.txt", `names/${TEMP_PREFIX}4-w`, false), "EINVAL");
      await c.rejects("a copy to one", c.writes.copy("names/a.txt", `names/${TEMP_PREFIX}5-v`, false), "EINVAL");
      await c.rejects("a move into itself", c.writes.move("names", "names/inner", false), "EINVAL");
      await c.rejects("a copy into itself", c.writes.copy("names", "names/inner", false), "EINVAL");
      await c.rejects("a move onto itself", c.writes.move("names", "names", true), "EINVAL");
      c.expectOnDisk("root/names", ["a.txt"]);
      const made = c.onDisk("root").filter((name) => name.startsWith(TEMP_PREFIX));
      if (made.length > 0) c.fail(`the root holds ${made.join(", ")}`);
    },
  },
  {
    name: "a name that is not UTF-8 is written and copied as its bytes, or refused where Deno cannot spell it",
    async run(c) {
      const bytesIn = (dir: string): boolean =>
        readdirSync(`${c.base}/root/${dir}`, { encoding: "buffer" }).some((name) => name.equals(RAW_BYTES));
      if (c.subject.runtime === "deno") {
        await c.rejects("a put", c.put(`raw/${RAW}`, "raw", { parents: true }), "ENOENT");
        await c.rejects("a copy of its folder", c.writes.copy("raw-made", "raw-made-copy", false), "EILSEQ");
        if ((await c.fs.stat("raw-made-copy")) !== null) c.fail("raw-made-copy exists");
      } else {
        await c.put(`raw/${RAW}`, "raw", { parents: true });
        if (!bytesIn("raw")) c.fail(`raw/ holds ${c.onDisk("root/raw").join(", ")}, not the name's bytes`);
        await c.writes.copy("raw-made", "raw-made-copy", false);
        if (!bytesIn("raw-made-copy")) c.fail(`raw-made-copy/ holds ${c.onDisk("root/raw-made-copy").join(", ")}`);
        if ((await c.text(`raw-made-copy/${RAW}`)) !== "raw") c.fail("the copy does not hold the file's bytes");
      }
      const made = c.onDisk("root").filter((name) => name.startsWith(TEMP_PREFIX));
      if (made.length > 0) c.fail(`the root holds ${made.join(", ")}`);
    },
  },
];
