/**
 * The write table (write-table.ts) as vitest cases: one test per case, for one filesystem, whose
 * run happens in this process or in another runtime (write-probe.ts under Bun or Deno).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { WRITE_CASE_NAMES, type WriteCaseResult } from "./write-table.ts";

/**
 * Registers the write table for `label`: `run` runs every case once, before the tests, against a
 * filesystem over an empty root, and answers what each found.
 */
export function writeContract(label: string, run: () => Promise<WriteCaseResult[]>): void {
  describe(`the write contract: ${label}`, () => {
    let results: WriteCaseResult[] = [];
    beforeAll(async () => {
      results = await run();
    }, 120_000);

    it.each(WRITE_CASE_NAMES.map((name, index) => [name, index] as const))("%s", (name, index) => {
      const result = results[index];
      expect(result?.name).toBe(name);
      expect(result?.problems).toEqual([]);
    });
  });
}
