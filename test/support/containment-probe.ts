/**
 * Runs the containment table (containment-table.ts) against one adapter's `FileSystem`, in the
 * runtime under test: in-process for Node (runCases), and as a script for Bun and Deno,
 * `bun containment-probe.ts <variant> <base>` or `deno run … containment-probe.ts <variant> <base>`,
 * which prints one JSON line ({@link ProbeResult}). `<base>` holds the tree containment-suite.ts
 * wrote. The adapters are imported from source by URL, so tsc never takes in Bun's or Deno's
 * globals, which clash with Node's.
 */
import { closeSync, lstatSync, readdirSync, readlinkSync, readSync, renameSync } from "node:fs";
import type { FileBody, FileStat, FileSystem } from "@simplehttp/core";
import type * as Disk from "@simplehttp/disk";
import { CASES, type Outcome, type Step, SWAPS, type Swap, shown } from "./containment-table.ts";

/** The adapters under test: each runtime's, with Linux's /proc check and with the portable one. */
export type Variant = "node" | "node-portable" | "bun" | "bun-portable" | "deno" | "deno-portable";

/** What the table needs of an adapter. */
export interface Subject {
  fileSystem(root: string, followSymlinks: boolean): FileSystem;
  /** The adapter's verified open of `path`, calling `around.before` and `around.after` around its realpath. */
  open(path: string, root: string, around: { before(): void; after(): void }): number;
}

export interface ProbeResult {
  /** Each case's outcomes, one per step, and the slowest step in milliseconds. */
  cases: { outcomes: Outcome[]; slowestMs: number }[];
  /** Whether this process could read /proc/self/fd, which the /proc check needs. */
  procReadable: boolean;
  /** Open descriptors before the cases and after them (-1 where /proc cannot tell). */
  before: number;
  after: number;
}

const here = (path: string): string => new URL(path, import.meta.url).href;
const codeOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error ? String(error.code) : String(error);

/** The node:fs subject: Node's or Bun's FileSystem, and @simplehttp/disk's verified open. */
async function diskSubject(fileSystem: Subject["fileSystem"], viaProc: boolean): Promise<Subject> {
  const { containment, openVerified } = (await import("@simplehttp/disk")) as typeof Disk;
  return {
    fileSystem,
    open(path, root, { before, after }) {
      const inner = containment(root);
      const hooked: Disk.Containment = {
        contains: inner.contains,
        realInside(target) {
          before();
          const real = inner.realInside(target);
          after();
          return real;
        },
      };
      return openVerified(path, hooked, viaProc).fd;
    },
  };
}

interface DenoContainment {
  resolve(path: string): string | null;
  contains(real: string): boolean;
}

/** The subject for `variant`, imported from the adapter's source. */
export async function subjectFor(variant: Variant): Promise<Subject> {
  const viaProc = !variant.endsWith("-portable");
  if (variant.startsWith("node")) {
    type NodeFs = { fileSystemWithBodies(root: string, options: Disk.DiskFileSystemOptions, max: number): FileSystem };
    const { fileSystemWithBodies } = (await import(here("../../packages/node/src/fs.ts"))) as NodeFs;
    // 256 KiB: nodeFileSystem's own threshold.
    const make: Subject["fileSystem"] = (root, followSymlinks) =>
      fileSystemWithBodies(root, { followSymlinks, viaProc }, 256 * 1024);
    return diskSubject(make, viaProc);
  }
  if (variant.startsWith("bun")) {
    const { bunBody } = (await import(here("../../packages/bun/src/fs.ts"))) as { bunBody: Disk.BodyHook };
    const { diskFileSystem } = (await import("@simplehttp/disk")) as typeof Disk;
    return diskSubject((root, followSymlinks) => diskFileSystem(root, { followSymlinks, viaProc }, bunBody), viaProc);
  }
  // Deno: the portable check runs where Deno may not read /proc (the suite's permissions decide).
  type DenoFs = { denoFileSystem(root: string, options: { followSymlinks: boolean }): FileSystem };
  const { denoFileSystem } = (await import(here("../../packages/deno/src/fs.ts"))) as DenoFs;
  const { containment } = (await import(here("../../packages/deno/src/containment.ts"))) as {
    containment(root: string): DenoContainment;
  };
  const { openFile } = (await import(here("../../packages/deno/src/open.ts"))) as {
    openFile(path: string, inside: DenoContainment): { fd: number };
  };
  return {
    fileSystem: (root, followSymlinks) => denoFileSystem(root, { followSymlinks }),
    open(path, root, { before, after }) {
      const inner = containment(root);
      const hooked: DenoContainment = {
        contains: inner.contains,
        resolve(target) {
          before();
          const real = inner.resolve(target);
          after();
          return real;
        },
      };
      return openFile(path, hooked).fd;
    },
  };
}

async function bodyText(body: FileBody): Promise<string> {
  const sendable = body instanceof Uint8Array || body instanceof Blob || body instanceof ReadableStream;
  return new Response(sendable ? body : body.stream()).text();
}

/** Puts the link made ahead for `swap` in place of its `at`; a directory is moved out of the root first. */
function swap(swap: Swap, base: string): void {
  const path = `${base}/root/${swap.at}`;
  if (lstatSync(path).isDirectory()) renameSync(path, `${base}/moved/${swap.at.replaceAll("/", "-")}`);
  renameSync(`${base}/swaps/${SWAPS.indexOf(swap)}`, path);
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * Runs one step. `stats` holds what each path's last stat() answered: a read passes it, as the
 * handler passes a request's own stat to its read (FileSystem.read), so the file stat() held is read.
 */
async function runStep(
  step: Step,
  fs: FileSystem,
  subject: Subject,
  base: string,
  stats: Map<string, FileStat>,
): Promise<Outcome> {
  const root = `${base}/root`;
  if ("swap" in step) {
    swap(step.swap, base);
    return "ok";
  }
  if ("tick" in step) return tick().then(() => "ok");
  try {
    if ("stat" in step) {
      const stat = await fs.stat(step.stat);
      if (stat === null) stats.delete(step.stat);
      else stats.set(step.stat, stat);
      return stat?.kind ?? null;
    }
    if ("readDir" in step) return (await fs.readDir(step.readDir)).map((entry) => entry.name).sort();
    if ("read" in step) {
      const range = { start: 0, end: (step.bytes ?? 5) - 1 };
      return shown(await bodyText(await fs.read(step.read, range, stats.get(step.read))));
    }
    // Each swap once: an open that tries again (a file replaced since its open) checks again.
    const once =
      (swaps: Swap[] = []) =>
      () => {
        for (const each of swaps.splice(0)) swap(each, base);
      };
    const around = { before: once([...(step.before ?? [])]), after: once([...(step.after ?? [])]) };
    const fd = subject.open(`${root}/${step.open}`, root, around);
    try {
      const bytes = new Uint8Array(5);
      return new TextDecoder().decode(bytes.subarray(0, readSync(fd, bytes, 0, 5, 0)));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return codeOf(error);
  }
}

/** How many descriptors this process has open, or -1 where /proc cannot tell. */
function openDescriptors(): number {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return -1;
  }
}

/**
 * Runs every case of the table, each on a fresh `FileSystem` of `subject`, against the tree in
 * `base` (containment-suite.ts wrote it), in order: the first cases list what later ones change.
 */
export async function runCases(subject: Subject, base: string): Promise<ProbeResult> {
  let procReadable = true;
  try {
    readlinkSync("/proc/self/fd/0");
  } catch {
    procReadable = false;
  }
  const before = openDescriptors();
  const cases: ProbeResult["cases"] = [];
  for (const { steps, followSymlinks = false } of CASES) {
    const fs = subject.fileSystem(`${base}/root`, followSymlinks);
    const outcomes: Outcome[] = [];
    const stats = new Map<string, FileStat>();
    let slowestMs = 0;
    for (const step of steps) {
      const started = performance.now();
      outcomes.push(await runStep(step, fs, subject, base, stats));
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
    await tick(); // what the case's stat() held and no read took is closed by now
    cases.push({ outcomes, slowestMs });
  }
  return { cases, procReadable, before, after: openDescriptors() };
}

// Run as a script (by Bun or Deno, which both set import.meta.main): the variant and the base.
if ((import.meta as { main?: boolean }).main) {
  const [variant, base] = process.argv.slice(2);
  if (variant === undefined || base === undefined) throw new Error("usage: containment-probe.ts <variant> <base>");
  const result = await runCases(await subjectFor(variant as Variant), base);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
