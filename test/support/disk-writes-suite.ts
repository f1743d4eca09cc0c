/**
 * The disk's own write cases as vitest cases, for one runtime's adapter: the table of
 * disk-writes-table.ts, the crash clean-up (a writer killed mid-body, then a new filesystem over
 * its folder), and a full disk with another filesystem inside the root (a tmpfs mounted as root).
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSkip } from "../setup/skip-reporter.ts";
import { bytes } from "./byte-names.ts";
import { DISK_WRITE_CASE_NAMES } from "./disk-writes-table.ts";
import { BIG, FULL_DISK_CASE_NAMES } from "./full-disk-writes.ts";
import { mountTmpfs, unmount } from "./tmpfs.ts";
import type { WriteCaseResult } from "./write-table.ts";
import { scratchFolder } from "./writes-spawn.ts";

const PREFIX = ".simplehttp-upload-";

/** One runtime's adapter: how to run a probe task, and the command that runs the probe script. */
export interface DiskWriteRun {
  label: string;
  run(task: string, dir: string): Promise<unknown>;
  /** The command and arguments before `<task> <dir>`, for the process the crash test kills. */
  command: string[];
}

/** Registers the disk's own write cases for one adapter. */
export function diskWriteCases({ label, run, command }: DiskWriteRun): void {
  describe(`the disk's own write cases: ${label}`, () => {
    const base = scratchFolder(`simplehttp-${label}-disk-writes-`);
    const crashed = scratchFolder(`simplehttp-${label}-crash-`);
    const crashedUpload = scratchFolder(`simplehttp-${label}-crash-upload-`);
    let results: WriteCaseResult[] = [];
    beforeAll(async () => {
      // A name that is not UTF-8, which Deno could not make (disk-writes-names.ts).
      mkdirSync(`${base}/root/raw-made`, { recursive: true });
      writeFileSync(bytes(`${base}/root/raw-made/inv`, 0xff, "alid.txt"), "raw");
      results = (await run("disk", base)) as WriteCaseResult[];
    }, 60_000);

    it.each(DISK_WRITE_CASE_NAMES.map((name, index) => [name, index] as const))("%s", (name, index) => {
      expect(results[index]?.name).toBe(name);
      expect(results[index]?.problems).toEqual([]);
    });

    it("removes at start the temporary files of a writer killed mid-body, never a live process's", async () => {
      const dir = crashed;
      const dead = await killedMidWrite(command, dir);
      const left = readdirSync(dir).filter((name) => name.startsWith(`${PREFIX}${dead}-`));
      expect(left).toHaveLength(1);
      // Another dead writer's, deeper and in a dot-folder, a folder among them; a live process's.
      mkdirSync(`${dir}/.hidden/${PREFIX}${dead}-folder`, { recursive: true });
      writeFileSync(`${dir}/.hidden/${PREFIX}${dead}-folder/inner.txt`, "half");
      writeFileSync(`${dir}/.hidden/${PREFIX}${dead}-file`, "half");
      const live = `${dir}/.hidden/${PREFIX}${process.ppid}-live`;
      writeFileSync(live, "being written");
      expect(await run("clean", dir)).toMatchObject({ removed: 3 });
      expect(readdirSync(dir).sort()).toEqual([".hidden"]);
      expect(readdirSync(`${dir}/.hidden`)).toEqual([`${PREFIX}${process.ppid}-live`]);
      expect(existsSync(live)).toBe(true);
    });

    it("removes at start an unfinished resumable upload's file, its server killed", async () => {
      const dir = crashedUpload;
      const dead = await killedMidWrite(command, dir, "hold-partial");
      const left = readdirSync(dir).filter((name) => name.startsWith(`${PREFIX}${dead}-`));
      expect(left.map((name) => sizeOf(`${dir}/${name}`))).toEqual([64 * 1024]);
      expect(await run("clean", dir)).toMatchObject({ removed: 1 });
      expect(readdirSync(dir)).toEqual([]);
    });

    fullDiskCases(label, run);
  });
}

/**
 * Starts the probe's `task` in `dir` (`hold`: a put whose body never ends; `hold-partial`: an
 * upload that waits for its next piece), waits until its temporary file is there and holds bytes,
 * kills it with SIGKILL and answers its pid, once it has exited.
 */
async function killedMidWrite(command: string[], dir: string, task = "hold"): Promise<number> {
  const [program = "", ...args] = command;
  const child = spawn(program, [...args, task, dir], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  try {
    const pid = child.pid ?? 0;
    const deadline = Date.now() + 20_000;
    while (!readdirSync(dir).some((name) => name.startsWith(`${PREFIX}${pid}-`))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error("the writer never started its write");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // One chunk sent: wait until it is on the disk, so the kill is mid-body, not before it.
    while (readdirSync(dir).every((name) => !name.startsWith(PREFIX) || sizeOf(`${dir}/${name}`) === 0)) {
      if (Date.now() > deadline) throw new Error("the writer never wrote its first chunk");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return pid;
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}

function sizeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * The full-disk cases (full-disk-writes.ts) on a tmpfs of 1 MiB mounted inside the root. Mounting
 * takes root and a system that lets it mount: without either, a platform skip.
 */
function fullDiskCases(label: string, run: DiskWriteRun["run"]): void {
  describe("on a full disk, and across filesystems", () => {
    let [base, full] = ["", ""];
    let mounted = false;
    let refused: string | null = null;
    let results: WriteCaseResult[] = [];
    beforeAll(async () => {
      base = realpathSync(mkdtempSync(join(tmpdir(), `simplehttp-${label}-full-`)));
      full = `${base}/root/full`;
      mkdirSync(full, { recursive: true });
      mkdirSync(`${base}/root/dir`);
      writeFileSync(`${base}/root/a.txt`, "a");
      writeFileSync(`${base}/root/dir/inner.txt`, "inner");
      writeFileSync(`${base}/root/big.bin`, new Uint8Array(BIG));
      refused = mountTmpfs(full);
      mounted = refused === null;
      if (mounted) results = (await run("full", base)) as WriteCaseResult[];
    }, 60_000);
    afterAll(() => {
      if (mounted) unmount(full);
      if (base !== "") rmSync(base, { recursive: true, force: true });
    });

    it.for(FULL_DISK_CASE_NAMES.map((name, index) => [name, index] as const))("%s", ([name, index], context) => {
      context.skip(refused !== null, platformSkip(refused ?? ""));
      expect(results[index]?.name).toBe(name);
      expect(results[index]?.problems).toEqual([]);
    });
  });
}
