/**
 * A reporter that makes every skip visible and fails the run on a skip a machine could fix, and
 * repeats every failure last, so that the tail of a long log (all a CI page may keep) names it.
 *
 * A skipped test proves nothing, and a run that is green because a tool was missing proves less
 * than it seems. So a test may skip only for a fact of its platform that no installation changes
 * (no `/proc` off Linux), and says so: `ctx.skip(!HAS_PROC, platformSkip("no /proc"))`. This
 * reporter lists each skipped test with its reason at the end of the run, and fails the run when a
 * test skipped without a platform reason (a bare `.skip`, a `skipIf`, a `ctx.skip()` without one,
 * or one left out by `.only`): whatever the set-up can install is installed by the test command
 * (test/setup/system-packages.ts), and a test that needs it fails when it is missing.
 *
 * @module
 */
import type { Reporter, TestModule, Vitest } from "vitest/node";

const PLATFORM = "platform: ";

/** The note of a skip that only another platform could avoid. */
export function platformSkip(reason: string): string {
  return PLATFORM + reason;
}

export default class SkipReporter implements Reporter {
  // A run narrowed by name (`vitest -t …`) skips the rest on purpose: listed, not refused.
  #narrowed = false;

  onInit(vitest: Vitest): void {
    this.#narrowed = vitest.config.testNamePattern !== undefined;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const allowed: string[] = [];
    const refused: string[] = [];
    const failed: string[] = [];
    for (const module of testModules) {
      for (const error of module.errors()) failed.push(`${module.relativeModuleId}: ${firstLine(error.message)}`);
      for (const test of module.children.allTests()) {
        const result = test.result();
        const where = `${module.relativeModuleId} > ${test.fullName}`;
        if (result.state === "failed") failed.push(`${where}: ${firstLine(result.errors?.[0]?.message)}`);
        if (result.state !== "skipped") continue;
        if (result.note?.startsWith(PLATFORM)) allowed.push(`${where}: ${result.note.slice(PLATFORM.length)}`);
        else refused.push(`${where}: ${result.note ?? "no reason given"}`);
      }
    }
    if (allowed.length > 0)
      console.log(
        `\nSkipped on this platform (${allowed.length}):\n${allowed.map((line) => `  - ${line}`).join("\n")}`,
      );
    if (refused.length > 0 && this.#narrowed) {
      console.log(`\nSkipped by the name filter (${refused.length}).`);
    } else if (refused.length > 0) {
      console.error(
        `\nSkipped without a platform reason (${refused.length}), which fails the run:\n` +
          `${refused.map((line) => `  - ${line}`).join("\n")}`,
      );
      process.exitCode = 1;
    }
    if (failed.length > 0)
      console.error(`\nFailed (${failed.length}):\n${failed.map((line) => `  - ${line}`).join("\n")}`);
  }
}

/** The first line of an error's message: enough to name the failure in a log's last lines. */
function firstLine(message: string | undefined): string {
  return (message ?? "no message").split("\n", 1)[0] ?? "";
}
