/**
 * What the disk's own write cases (disk-writes-table.ts) stand on: the tree they name, written with
 * node:fs in an empty folder (`<dir>/root` is the root, `<dir>/outside` lies beside it and must
 * end as it began), and a check that notes what went wrong. Plain code: Bun and Deno load it too.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import type { FileSystem, FileWrites, PutOptions } from "@simplehttp/core";
import type { WriteSubject } from "./write-probe.ts";
import { bodyOf } from "./write-table.ts";

export const TEMP_PREFIX = ".simplehttp-upload-";
export const KEPT = "outside, must stay as it is\n";
export const TARGET = "a file inside, behind a link\n";
const decoder = new TextDecoder();

/** What a case may ask, each answer checked and noted. */
export class DiskCheck {
  readonly problems: string[] = [];

  constructor(
    readonly fs: FileSystem,
    readonly writes: FileWrites,
    readonly subject: WriteSubject,
    readonly base: string,
  ) {}

  fail(problem: string): void {
    this.problems.push(problem);
  }

  put(path: string, content: string | Uint8Array | ReadableStream<Uint8Array>, options: Partial<PutOptions> = {}) {
    const body = content instanceof ReadableStream ? content : bodyOf(content);
    return this.writes.put(path, body, { mode: "create", maxBytes: 1 << 30, parents: false, ...options });
  }

  /** `promise` must reject with `code`. */
  async rejects(what: string, promise: Promise<unknown>, code: string): Promise<void> {
    try {
      await promise;
      this.fail(`${what}: succeeded, expected ${code}`);
    } catch (error) {
      const got = (error as { code?: unknown } | null)?.code;
      if (got !== code) this.fail(`${what}: failed with ${String(got)} (${String(error)}), expected ${code}`);
    }
  }

  /** The text of the file at `path` as the filesystem reads it, or null when absent. */
  async text(path: string): Promise<string | null> {
    const stat = await this.fs.stat(path);
    if (stat === null || stat.kind !== "file") return stat === null ? null : `<${stat.kind}>`;
    if (stat.size === 0) return "";
    const body = await this.fs.read(path, { start: 0, end: stat.size - 1 });
    if (body instanceof Uint8Array) return decoder.decode(body);
    const sendable = body instanceof ReadableStream || body instanceof Blob ? body : body.stream();
    return decoder.decode(await new Response(sendable).arrayBuffer());
  }

  /** Every name in a folder of the disk (temporary ones too), sorted. */
  onDisk(path: string): string[] {
    return readdirSync(`${this.base}/${path}`).sort();
  }

  expectOnDisk(path: string, expected: string[]): void {
    const got = this.onDisk(path);
    if (got.join("/") !== [...expected].sort().join("/")) this.fail(`${path}/ holds ${got.join(", ")}`);
  }

  /** The folder beside the root holds what it held, with the same bytes. */
  outsideUntouched(): void {
    this.expectOnDisk("outside", ["keep.txt"]);
    if (readFileSync(`${this.base}/outside/keep.txt`, "utf8") !== KEPT) this.fail("outside/keep.txt changed");
  }

  isLink(path: string): boolean {
    return lstatSync(`${this.base}/root/${path}`).isSymbolicLink();
  }
}

/** The tree the cases name, under the empty folder `base`. */
export function writeTree(base: string): void {
  const dirs = ["outside", "root/sub", "root/race", "root/race-mkdir", "root/race-partial", "root/listed", "root/tree"];
  for (const dir of [...dirs, "root/partial", "moved"]) {
    mkdirSync(`${base}/${dir}`, { recursive: true });
  }
  writeFileSync(`${base}/outside/keep.txt`, KEPT);
  writeFileSync(`${base}/root/sub/target.txt`, TARGET);
  const links: Record<string, string> = {
    "root/out-dir": "../outside",
    "root/out-file.txt": "../outside/keep.txt",
    "root/in-dir": "sub",
    "root/in-file.txt": "sub/target.txt",
    "root/dangling.txt": "../outside/new.txt",
    "root/tree/out-dir": "../../outside",
    "root/tree/out-file.txt": "../../outside/keep.txt",
    // Made ahead, outside the root, to be renamed in place of a folder (a relative target resolves
    // from wherever the link lies).
    "moved/race-link": "../outside",
    "moved/race-mkdir-link": "../outside",
    "moved/race-partial-link": "../outside",
  };
  for (const [path, target] of Object.entries(links)) symlinkSync(target, `${base}/${path}`);
}

/** A body that sends one chunk, then waits for `release` before it ends. */
export function pausedBody(): { body: ReadableStream<Uint8Array>; started: Promise<void>; release(): void } {
  let release = (): void => {};
  let started = (): void => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 1) {
        started();
        await released;
      }
      if (sent === 2) return controller.close();
      controller.enqueue(new TextEncoder().encode(`part ${sent} `.repeat(1000)));
      sent++;
    },
  });
  return { body, started: startedPromise, release };
}

/** Swaps `root/<name>` for the link made ahead as `moved/<name>-link`, the folder moved out of the root. */
export function swapForLink(base: string, name: string): void {
  renameSync(`${base}/root/${name}`, `${base}/moved/${name}`);
  renameSync(`${base}/moved/${name}-link`, `${base}/root/${name}`);
}

/** A case: its name, and a run that notes what went wrong. */
export interface DiskCase {
  name: string;
  run(check: DiskCheck): Promise<void>;
}
