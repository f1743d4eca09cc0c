import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // Server and child-process tests bound their own waits; this only catches a hang.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The skip reporter lists every skip with its reason and fails the run on one a machine could fix.
    reporters: ["default", "./test/setup/skip-reporter.ts"],
  },
});
