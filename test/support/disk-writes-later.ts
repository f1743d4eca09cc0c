/**
 * The second half of the disk's own write cases (disk-writes-table.ts runs them after the first):
 * removes that never follow a link, readers during replaces, and the crash clean-up's rule for
 * this process's own temporary files.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { type DiskCase, TEMP_PREFIX } from "./disk-writes-check.ts";
import { bodyOf } from "./write-table.ts";

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** link(2) as a filesystem without hard links answers it. */
const noHardLinks = (): void => {
  throw Object.assign(new Error("EPERM: no hard links on this filesystem"), { code: "EPERM" });
};

/** A body of `chunks` chunks of 64 KiB that notes whether it was cancelled. */
function watchedBody(chunks: number): { body: ReadableStream<Uint8Array>; cancelled(): boolean } {
  let sent = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === chunks) return controller.close();
      controller.enqueue(new Uint8Array(64 * 1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, cancelled: () => cancelled };
}

export const LATER_CASES: DiskCase[] = [
  {
    name: "a put refused before its body ends cancels the body: over the cap, or where it may not write",
    async run(c) {
      const capped = watchedBody(10);
      await c.rejects("a put over the cap", c.put("capped.bin", capped.body, { maxBytes: 100_000 }), "EFBIG");
      if (!capped.cancelled()) c.fail("the body over the cap was not cancelled");
      const outside = watchedBody(10);
      await c.rejects("a put through a link out", c.put("out-dir/x.bin", outside.body), "ENOENT");
      if (!outside.cancelled()) c.fail("the body of a refused put was not cancelled");
      if ((await c.fs.stat("capped.bin")) !== null) c.fail("capped.bin exists");
    },
  },
  {
    name: "where the filesystem has no hard links, a new name is checked and renamed onto: still never a replace",
    async run(c) {
      const dir = `${c.base}/root/no-links`;
      mkdirSync(dir);
      writeFileSync(`${dir}/first.tmp`, "first");
      writeFileSync(`${dir}/second.tmp`, "second");
      writeFileSync(`${dir}/taken.txt`, "taken");
      c.subject.linkNew(`${dir}/first.tmp`, `${dir}/free.txt`, noHardLinks);
      try {
        c.subject.linkNew(`${dir}/second.tmp`, `${dir}/taken.txt`, noHardLinks);
        c.fail("a taken name was replaced");
      } catch (error) {
        if ((error as { code?: string }).code !== "EEXIST") c.fail(`a taken name: ${String(error)}, expected EEXIST`);
      }
      const names = readdirSync(dir).sort().join(", ");
      if (names !== "free.txt, second.tmp, taken.txt") c.fail(`the folder holds ${names}`);
      const texts = ["free.txt", "taken.txt"].map((name) => readFileSync(`${dir}/${name}`, "utf8")).join(", ");
      if (texts !== "first, taken") c.fail(`free.txt, taken.txt hold ${texts}`);
    },
  },
  {
    name: "a remove takes a link away, never what it leads to, also inside a folder removed whole",
    async run(c) {
      // A copy first: its links are links still, to where they led.
      await c.writes.copy("tree", "tree-copy", false);
      for (const link of ["out-dir", "out-file.txt"]) {
        const [copied, original] = [`${c.base}/root/tree-copy/${link}`, `${c.base}/root/tree/${link}`];
        if (!lstatSync(copied).isSymbolicLink() || readlinkSync(copied) !== readlinkSync(original)) {
          c.fail(`${link} was not copied as the same link`);
        }
      }
      await c.writes.remove("tree-copy");
      await c.writes.remove("out-file.txt");
      await c.writes.remove("out-dir");
      await c.writes.remove("tree");
      for (const gone of ["out-file.txt", "out-dir", "tree"]) {
        if (existsSync(`${c.base}/root/${gone}`)) c.fail(`${gone} is still there`);
      }
      c.outsideUntouched();
    },
  },
  {
    name: "a reader during many replaces reads one writer's whole file every time, never a part nor nothing",
    async run(c) {
      await c.put("busy.txt", "start");
      const contents = Array.from({ length: 8 }, (_, i) => `replacer ${i} `.repeat(20_000 + 1000 * i));
      const whole = new Set(["start", ...contents]);
      const sizes = new Set([...whole].map((text) => text.length));
      let writing = true;
      let reads = 0;
      const reader = (async () => {
        while (writing) {
          const stat = await c.fs.stat("busy.txt");
          if (stat === null || !sizes.has(stat.size)) c.fail(`a stat saw ${JSON.stringify(stat)}`);
          const text = await c.text("busy.txt");
          if (text === null || !whole.has(text)) c.fail(`a read saw ${text?.length ?? "no"} bytes, no writer's whole`);
          reads++;
          await pause();
        }
      })();
      const puts = contents.map((text) => c.put("busy.txt", bodyOf(text, 4096), { mode: "replace" }));
      const results = await Promise.allSettled(puts);
      writing = false;
      await reader;
      if (results.some((result) => result.status === "rejected")) c.fail("a replace failed");
      if (reads < 3) c.fail(`the reader read only ${reads} times while the replaces ran`);
      const left = c.onDisk("root").filter((name) => name.startsWith(TEMP_PREFIX));
      if (left.length > 0) c.fail(`temporary files left: ${left.join(", ")}`);
    },
  },
  {
    name: "the clean-up keeps this process's temporary files, unless they were made before it started",
    async run(c) {
      const dir = `${c.base}/root/own`;
      mkdirSync(`${dir}/.deep`, { recursive: true });
      writeFileSync(`${dir}/.deep/${TEMP_PREFIX}${c.subject.pid}-mine`, "in progress");
      const kept = await c.subject.removeStaleTemps(dir, performance.timeOrigin);
      if (kept !== 0 || !existsSync(`${dir}/.deep/${TEMP_PREFIX}${c.subject.pid}-mine`)) {
        c.fail(`this process's file was removed (${kept} removed)`);
      }
      // As a process of the same pid started later would see it: left by a crash.
      const removed = await c.subject.removeStaleTemps(dir, Date.now() + 5000);
      if (removed !== 1 || existsSync(`${dir}/.deep/${TEMP_PREFIX}${c.subject.pid}-mine`)) {
        c.fail(`a file older than the process was kept (${removed} removed)`);
      }
    },
  },
];
