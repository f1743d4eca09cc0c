/**
 * The containment table (containment-table.ts) as vitest cases: writes the tree in a temporary
 * directory, has one adapter answer every step (containment-probe.ts, in-process or spawned
 * under Bun or Deno), and checks each case's answers. Each adapter's test folder calls
 * {@link containmentTable} once per variant: with Linux's /proc check and with the portable one.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytes } from "./byte-names.ts";
import type { ProbeResult } from "./containment-probe.ts";
import { BIG, CASES, FLAP, INNER, type Outcome, RAW, SECRET, SECRET2, SWAPS, TEXT, TWIN } from "./containment-table.ts";

export const PROBE = new URL("./containment-probe.ts", import.meta.url).pathname;

/** The tree the table's cases name, under a new temporary directory; `close()` removes it. */
async function writeTree(): Promise<{ base: string; close(): Promise<void> }> {
  const base = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-containment-")));
  const root = join(base, "root");
  for (const dir of ["root/dir", "root/flap", "root/flap-list", "outside", "root-twin", "moved", "swaps"]) {
    mkdirSync(join(base, dir), { recursive: true });
  }
  const files: Record<string, string> = {
    "secret.txt": SECRET,
    "outside/secret2.txt": SECRET2,
    "outside/a.txt": SECRET,
    "root-twin/x.txt": TWIN,
    "root/t.txt": TEXT,
    "root/big.txt": BIG,
    "root/dir/inner.txt": INNER,
    "root/flap/a.txt": FLAP,
    "root/flap-list/listed.txt": FLAP,
    "root/race-2-target": TEXT,
    "root/replaced.txt": TEXT,
  };
  for (const [path, text] of Object.entries(files)) writeFileSync(join(base, path), text);
  writeFileSync(bytes(`${root}/inv`, 0xff, "alid.txt"), RAW);
  const links: Record<string, string | Buffer> = {
    "escape.txt": "../secret.txt",
    "escape-abs.txt": join(base, "secret.txt"),
    "escape-dir": "../outside",
    "dir/up.txt": "../../secret.txt",
    // `root-twin` starts with the root's name: a plain prefix test would take it for inside.
    "prefix-trick.txt": "../root-twin/x.txt",
    "inside-link.txt": "t.txt",
    "roundtrip.txt": "../root/t.txt",
    "dir-link": "dir",
    dangling: "nowhere",
    "loop-a": "loop-b",
    "loop-b": "loop-a",
    "fifo-link": "fifo",
    flip: "t.txt",
    "flip-big": "big.txt",
    "race-1": "../secret.txt",
    "race-2": "../secret.txt",
    "raw-link.txt": bytes("inv", 0xff, "alid.txt"),
  };
  for (const [path, target] of Object.entries(links)) symlinkSync(target, join(root, path));
  // Each swap's link, made ahead outside the root: a relative target resolves from wherever the
  // link lies, so from its place in the root once renamed there.
  for (const [index, { to }] of SWAPS.entries()) symlinkSync(to, join(base, "swaps", String(index)));
  execFileSync("mkfifo", [join(root, "fifo")]);
  // A UNIX socket exists as long as a server listens on it.
  const socket: Server = createServer();
  await new Promise<void>((resolve) => socket.listen(join(root, "socket"), resolve));
  return {
    base,
    close: async () => {
      await new Promise((resolve) => socket.close(resolve));
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `command args… <base>` (a probe under Bun or Deno) and answers what it printed, or rejects
 * with its stderr; a probe that does not finish within 20 s is killed (a read that blocks fails).
 */
export function spawnProbe(command: string, args: string[]): (base: string) => Promise<ProbeResult> {
  return (base) =>
    new Promise((resolve, reject) => {
      const env = { ...process.env, NO_COLOR: "1" };
      const child = spawn(command, [...args, base], { stdio: ["ignore", "pipe", "pipe"], env });
      let [stdout, stderr] = ["", ""];
      child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
      child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(JSON.parse(stdout) as ProbeResult);
        else reject(new Error(`${command} ${args.join(" ")}: ${code ?? signal}\n${stderr}`));
      });
    });
}

export interface TableRun {
  /** Which adapter, for the test names. */
  label: string;
  /** Deno answers otherwise where a name is not UTF-8 (the table's `deno` outcomes). */
  deno: boolean;
  /**
   * For Deno, whose permissions decide which check runs: whether the probe may read /proc/self/fd
   * (-A: the /proc check) or not (read permission on the tree only: the portable check).
   */
  procReadable?: boolean;
  /** Whether the probe runs in a process of its own that may read /proc/self/fd, to count its descriptors. */
  countsDescriptors: boolean;
  run(base: string): Promise<ProbeResult>;
}

/** Registers the table's cases for one adapter. */
export function containmentTable({ label, deno, procReadable, countsDescriptors, run }: TableRun): void {
  describe(`the containment table, ${label}`, () => {
    let result: ProbeResult;
    let close = async (): Promise<void> => {};

    beforeAll(async () => {
      const tree = await writeTree();
      close = tree.close;
      result = await run(tree.base);
    }, 30_000);
    afterAll(() => close());

    if (procReadable !== undefined) {
      const which = procReadable ? "may read /proc/self/fd: the /proc" : "may not read /proc/self/fd: the portable";
      it(`${which} check decides`, () => expect(result.procReadable).toBe(procReadable));
    }

    it.each(CASES.map((testCase, index) => ({ name: testCase.name, index })))("$name", ({ index }) => {
      const steps = CASES[index]?.steps ?? [];
      const wanted = steps.map((step): Outcome => {
        if (!("is" in step)) return "ok";
        return deno && "deno" in step ? (step.deno ?? null) : step.is;
      });
      expect(result.cases[index]?.outcomes).toEqual(wanted);
      // A FIFO opened without O_NONBLOCK would wait for a writer: never.
      expect(result.cases[index]?.slowestMs).toBeLessThan(1000);
    });

    if (countsDescriptors) {
      it("leaves no descriptor open", () => {
        expect(result.before).toBeGreaterThan(0);
        expect(result.after).toBe(result.before);
      });
    }
  });
}
