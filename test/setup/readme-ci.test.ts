/**
 * CI proves what a newcomer types: `.ci/run` is the README's test command and nothing else, and
 * that command brings what the tests need (test/setup/system-packages.ts) on a machine with only
 * Node and npm.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/spawn-server.ts";

const README = readFileSync(`${REPO_ROOT}README.md`, "utf8");
const CI = readFileSync(`${REPO_ROOT}.ci/run`, "utf8");
const PACKAGE = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, "utf8")) as { scripts: Record<string, string> };

/** The command lines of the first ```sh block after `heading` in the README. */
function readmeCommands(heading: string): string[] {
  const at = README.indexOf(heading);
  expect(at, `the README says "${heading}"`).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(at))?.[1] ?? "";
  return block.split("\n").filter((line) => line.trim() !== "");
}

/** What `.ci/run` runs: its lines without the shebang, comments, `set` and the `cd` to the checkout. */
function ciCommands(): string[] {
  return CI.split("\n").filter((line) => {
    const text = line.trim();
    return (
      text !== "" && !text.startsWith("#") && !/^set -/.test(text) && !/^cd "\$\(dirname "\$0"\)\/\.\."$/.test(text)
    );
  });
}

describe("the README's set-up and CI", () => {
  it("has exactly two set-up commands: one that serves, one that tests", () => {
    expect(readmeCommands("Serve the current folder")).toHaveLength(1);
    expect(readmeCommands("Run the whole test suite")).toHaveLength(1);
  });

  it(".ci/run runs exactly the README's test command, and nothing before it", () => {
    expect(ciCommands()).toEqual(readmeCommands("Run the whole test suite"));
  });

  it("the README's commands need only Node and npm: pnpm comes through npx", () => {
    for (const command of [
      ...readmeCommands("Serve the current folder"),
      ...readmeCommands("Run the whole test suite"),
    ]) {
      for (const step of command.split("&&").map((part) => part.trim()))
        expect(step, command).toMatch(/^(npx -y pnpm@\d+\.\d+\.\d+ |node_modules\/\.bin\/)/);
    }
  });

  it("pnpm test installs the system packages the tests need before it runs them", () => {
    expect(PACKAGE.scripts.test).toMatch(/^tsx test\/setup\/system-packages\.ts && /);
  });

  it("pnpm test runs every vitest project (unit, integration, browser): its vitest run names none", () => {
    expect(PACKAGE.scripts.test).toMatch(/ && vitest run$/);
    for (const project of ["unit", "integration", "browser"]) {
      expect(PACKAGE.scripts[`test:${project}`]).toMatch(new RegExp(`vitest run --project ${project}$`));
    }
  });
});
