/**
 * The help is the documentation: README.md's "The command" shows `--help` verbatim, and every
 * flag it lists has an example line.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { killAll, REPO_ROOT, run, withTimeout } from "./run.ts";

afterEach(killAll);

async function help(): Promise<string> {
  const running = run(["--help"]);
  expect(await withTimeout(running.exited, 10_000, "exit")).toEqual({ code: 0, signal: null });
  return running.stdout();
}

/** The section of README.md under `## The command`, up to the next `## ` heading. */
function commandSection(): string {
  const readme = readFileSync(`${REPO_ROOT}README.md`, "utf8");
  const start = readme.indexOf("\n## The command\n");
  expect(start, 'README.md has a "## The command" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end + 1);
}

describe("--help", () => {
  it("is the usage block of README's 'The command' section, exactly", async () => {
    const blocks = [...commandSection().matchAll(/```text\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
    const usage = blocks.find((block) => block.startsWith("Usage: simplehttp"));
    expect(usage, "a ```text block starting with 'Usage: simplehttp'").toBeDefined();
    expect(usage).toBe(await help());
  });

  it("has an example line for every --flag it lists", async () => {
    const text = await help();
    const options = text.slice(text.indexOf("\nOptions:\n"), text.indexOf("\n\n", text.indexOf("\nOptions:\n") + 1));
    const flags = [...options.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1] ?? "");
    expect(flags.length).toBeGreaterThan(20);
    const examples = text
      .slice(text.indexOf("\nExamples:\n"))
      .split("\n")
      .filter((line) => line.startsWith("  simplehttp"));
    for (const flag of flags) {
      const pattern = new RegExp(`(^|\\s)${flag}(?=[\\s=]|$)`);
      expect(
        examples.some((line) => pattern.test(line)),
        `an example line using ${flag}`,
      ).toBe(true);
    }
  });

  it("keeps every line within 100 columns", async () => {
    for (const line of (await help()).split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});
