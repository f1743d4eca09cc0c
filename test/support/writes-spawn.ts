/**
 * The write probe (write-probe.ts) run under Bun or Deno, from a vitest file: spawned, bounded in
 * time, its JSON line answered.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

export const WRITE_PROBE = new URL("./write-probe.ts", import.meta.url).pathname;

/**
 * Runs `command …args <task> <dir>` and answers the JSON it printed, or rejects with its stderr; a
 * probe that does not finish within 60 s is killed.
 *
 * @example
 * ```ts
 * const results = await spawnWriteProbe(BUN, [WRITE_PROBE, "bun"])("table", dir);
 * ```
 */
export function spawnWriteProbe(command: string, args: string[]): (task: string, dir: string) => Promise<unknown> {
  return (task, dir) =>
    new Promise((resolve, reject) => {
      const env = { ...process.env, NO_COLOR: "1" };
      const child = spawn(command, [...args, task, dir], { stdio: ["ignore", "pipe", "pipe"], env });
      let [stdout, stderr] = ["", ""];
      child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
      child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(JSON.parse(stdout));
        else reject(new Error(`${command} ${args.join(" ")} ${task}: ${code ?? signal}\n${stderr}`));
      });
    });
}

/**
 * A new empty folder under the system's temporary one (its real path), removed after the file's tests.
 *
 * @example
 * ```ts
 * const root = scratchFolder("simplehttp-bun-writes-");
 * ```
 */
export function scratchFolder(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
