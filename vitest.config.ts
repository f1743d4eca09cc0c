import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // Server and child-process tests bound their own waits; this only catches a hang.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
