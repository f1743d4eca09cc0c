/**
 * The write tables against one runtime's disk adapter, in that runtime: in-process for Node, and
 * as a script for Bun and Deno, `bun write-probe.ts <runtime> <task> <dir>` or
 * `deno run -A write-probe.ts …`, which prints one JSON line. Tasks:
 *
 * - `table`: the write contract (write-table.ts) on a writable FileSystem over the empty `<dir>`.
 * - `partial`: the resumable uploads' table (partial-write-table.ts), the same way.
 * - `disk`: the disk's own cases (disk-writes-table.ts), on a tree they write in the empty `<dir>`.
 * - `full`: writes onto a full disk and across filesystems (full-disk-writes.ts), under `<dir>/root`.
 * - `hold`: starts a put of `<dir>/held.bin` whose body never ends, for the crash test to kill.
 * - `hold-partial`: begins a resumable upload of `<dir>/held.bin`, stores a piece, and waits to be killed.
 * - `clean`: a writable FileSystem over `<dir>`, and how many temporary files its clean-up removed.
 *
 * The adapters are imported from source by URL, so tsc never takes in Bun's or Deno's globals.
 */
import type { FileSystem, FileWrites } from "@simplehttp/core";
import type * as Disk from "@simplehttp/disk";
import { runPartialWriteTable } from "./partial-write-table.ts";
import { bodyOf, runWriteTable } from "./write-table.ts";

/** The runtimes whose disk adapters write. */
export type WriteRuntime = "node" | "bun" | "deno";

/** What the disk's own cases need of an adapter. */
export interface WriteSubject {
  /** A writable FileSystem over `root`; `onCleaned` hears when its clean-up is done. */
  fileSystem(root: string, onCleaned?: (removed: number) => void): FileSystem;
  /** The adapter's writes over `root`, calling `after(path)` each time a path has been checked inside it. */
  hookedWrites(root: string, after: (path: string) => void): FileWrites;
  /** The adapter's writes over `root`, whose resumable uploads read the time from `now`. */
  clockedWrites(root: string, now: () => number): FileWrites;
  /** The clean-up walk itself, as if this process had started at `startedMs`. */
  removeStaleTemps(root: string, startedMs: number): Promise<number>;
  /** The adapter's commit of a new name (write.ts), with `link` in place of link(2). */
  linkNew(from: string, to: string, link: (from: string, to: string) => void): void;
  /** This process's pid. */
  pid: number;
  runtime: WriteRuntime;
}

type LinkNew = { linkNew: WriteSubject["linkNew"] };

const here = (path: string): string => new URL(path, import.meta.url).href;

/** The subject for `runtime`, imported from the adapter's source. */
export async function writeSubject(runtime: WriteRuntime): Promise<WriteSubject> {
  if (runtime === "deno") return denoSubject();
  const disk = (await import("@simplehttp/disk")) as typeof Disk;
  const hook: Disk.BodyHook =
    runtime === "bun"
      ? ((await import(here("../../packages/bun/src/fs.ts"))) as { bunBody: Disk.BodyHook }).bunBody
      : ((await import(here("../../packages/node/src/fs.ts"))) as { nodeBody(max: number): Disk.BodyHook }).nodeBody(
          256 * 1024,
        );
  return {
    fileSystem: (root, onCleaned) => disk.diskFileSystem(root, { writable: true, onCleaned }, hook),
    hookedWrites(root, after) {
      const inner = disk.containment(root);
      const hooked: Disk.Containment = {
        contains: inner.contains,
        realInside(target) {
          const real = inner.realInside(target);
          after(String(target));
          return real;
        },
      };
      return disk.diskWrites(disk.rootPaths(root), hooked, true);
    },
    clockedWrites: (root, now) => disk.diskWrites(disk.rootPaths(root), disk.containment(root), true, { now }),
    removeStaleTemps: disk.removeStaleTemps,
    linkNew: ((await import(here("../../packages/disk/src/write.ts"))) as LinkNew).linkNew,
    pid: process.pid,
    runtime,
  };
}

interface DenoContainment {
  resolve(path: string): string | null;
  contains(real: string): boolean;
}

async function denoSubject(): Promise<WriteSubject> {
  type DenoFs = {
    denoFileSystem(root: string, options: { writable: boolean; onCleaned?: (removed: number) => void }): FileSystem;
  };
  const { denoFileSystem } = (await import(here("../../packages/deno/src/fs.ts"))) as DenoFs;
  const { containment } = (await import(here("../../packages/deno/src/containment.ts"))) as {
    containment(root: string): DenoContainment;
  };
  const { denoWrites } = (await import(here("../../packages/deno/src/writes.ts"))) as {
    denoWrites(root: string, inside: DenoContainment | null, partial?: { now: () => number }): FileWrites;
  };
  const { removeStaleTemps } = (await import(here("../../packages/deno/src/cleanup.ts"))) as {
    removeStaleTemps(root: string, startedMs: number): Promise<number>;
  };
  return {
    fileSystem: (root, onCleaned) => denoFileSystem(root, { writable: true, onCleaned }),
    hookedWrites(root, after) {
      const inner = containment(root);
      const hooked: DenoContainment = {
        contains: inner.contains,
        resolve(target) {
          const real = inner.resolve(target);
          after(target);
          return real;
        },
      };
      return denoWrites(root, hooked);
    },
    clockedWrites: (root, now) => denoWrites(root, containment(root), { now }),
    removeStaleTemps,
    linkNew: ((await import(here("../../packages/deno/src/write.ts"))) as LinkNew).linkNew,
    pid: process.pid,
    runtime: "deno",
  };
}

/** Starts a put at `dir/held.bin` whose body sends a chunk, then never ends: the process is killed. */
async function hold(subject: WriteSubject, dir: string): Promise<void> {
  const fs = subject.fileSystem(dir);
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return new Promise(() => {}); // the rest never comes
      controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      sent = true;
    },
  });
  process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
  await fs.writes?.put("held.bin", body, { mode: "create", maxBytes: 1 << 30, parents: false });
}

/** Begins an upload of `dir/held.bin`, stores its first piece, then waits for ever: the process is killed. */
async function holdPartial(subject: WriteSubject, dir: string): Promise<void> {
  const partial = subject.fileSystem(dir).writes?.partial;
  if (partial === undefined) throw new Error("no resumable uploads");
  const id = await partial.begin("held.bin", { length: 1 << 20, mode: "create", maxBytes: 1 << 30, parents: false });
  await partial.append("held.bin", id, 0, bodyOf(new Uint8Array(64 * 1024).fill(0x61)));
  process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
  setInterval(() => {}, 60_000); // alive until killed: the upload waits for its next piece
}

/** Runs `task` of the probe (see the module's comment) and answers what it prints. */
export async function runProbeTask(runtime: WriteRuntime, task: string, dir: string): Promise<unknown> {
  const subject = await writeSubject(runtime);
  if (task === "table") return runWriteTable(subject.fileSystem(dir));
  if (task === "partial") return runPartialWriteTable(subject.fileSystem(dir));
  if (task === "disk") {
    const { runDiskWriteTable } = await import("./disk-writes-table.ts");
    return runDiskWriteTable(subject, dir);
  }
  if (task === "full") {
    const { runFullDiskTable } = await import("./full-disk-writes.ts");
    return runFullDiskTable(subject, dir);
  }
  if (task === "clean") {
    const removed = await new Promise<number>((resolve) => subject.fileSystem(dir, resolve));
    return { removed, pid: subject.pid };
  }
  if (task === "hold") return hold(subject, dir);
  if (task === "hold-partial") return holdPartial(subject, dir);
  throw new Error(`no task ${task}`);
}

// Run as a script (Bun and Deno set import.meta.main; Node through tsx does not): the runtime, the task, the folder.
if ((import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname) {
  const [runtime, task, dir] = process.argv.slice(2);
  if (runtime === undefined || task === undefined || dir === undefined) {
    throw new Error("usage: write-probe.ts <runtime> <task> <dir>");
  }
  const result = await runProbeTask(runtime as WriteRuntime, task, dir);
  if (!task.startsWith("hold")) process.stdout.write(`${JSON.stringify(result)}\n`);
}
