import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Three projects, all run by `pnpm test`; `vitest run --project <name>` runs one.
 *
 * - unit: tests that start no server, no process and no browser. They call the code in this
 *   process, so they run in seconds, from the TypeScript sources, without a build.
 * - browser: the listing page in Chromium (playwright-core).
 * - integration: everything else: servers of every runtime, the command, workerd, moto, the
 *   packaged install. A test file listed in neither other project is one, so none is left out.
 *
 * Membership is by what a file does, not where it lives: a file that starts one server among pure
 * cases (the CLI's files spawn the command) stays integration, and so does core's archive test,
 * which runs Python to unpack what it made.
 */
const ALL = ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"];
/** Core's test that runs a program, by name (in whatever folder), for both projects below. */
const CORE_SPAWNING = "archive.test";
const UNIT_ELSEWHERE = [
  "packages/bun/test/targets.test.ts",
  "packages/hono/test/node.test.ts",
  "packages/r2/test/binding-type.test.ts",
  "packages/r2/test/fs.test.ts",
  "packages/s3/test/failures.test.ts",
  "packages/s3/test/pieces.test.ts",
  "test/setup/readme-ci.test.ts",
  "test/setup/code-shape.test.ts",
];
const BROWSER = ["test/browser/**/*.test.ts"];

export default defineConfig({
  test: {
    // Server and child-process tests bound their own waits; this only catches a hang.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The skip reporter lists every skip with its reason and fails the run on one a machine could
    // fix. Reporters belong to the run, not to a project: it sees every project's results.
    reporters: ["default", "./test/setup/skip-reporter.ts"],
    projects: [
      {
        extends: true,
        // A workspace package's exports name its dist/; unit tests read its sources instead.
        resolve: {
          alias: [
            {
              find: /^@simplehttp\/([a-z0-9]+)$/,
              replacement: fileURLToPath(new URL("./packages/$1/src/index.ts", import.meta.url)),
            },
          ],
        },
        test: {
          name: "unit",
          include: ["packages/core/test/**/*.test.ts", ...UNIT_ELSEWHERE],
          exclude: [`packages/core/test/**/${CORE_SPAWNING}.ts`],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ALL,
          // Every core test but CORE_SPAWNING: picomatch's !(…) matches any other file name.
          exclude: [`packages/core/test/**/!(${CORE_SPAWNING}).ts`, ...UNIT_ELSEWHERE, ...BROWSER],
        },
      },
      { extends: true, test: { name: "browser", include: BROWSER } },
    ],
  },
});
