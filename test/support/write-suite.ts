/**
 * The write tables (write-table.ts, partial-write-table.ts) as vitest cases: one test per case,
 * for one filesystem, whose run happens in this process or in another runtime (write-probe.ts
 * under Bun or Deno).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PARTIAL_WRITE_CASE_NAMES } from "./partial-write-table.ts";
import { WRITE_CASE_NAMES, type WriteCaseResult } from "./write-table.ts";

/**
 * Registers the write table for `label`: `run` runs every case once, before the tests, against a
 * filesystem over an empty root, and answers what each found.
 */
export function writeContract(label: string, run: () => Promise<WriteCaseResult[]>): void {
  contractCases(`the write contract: ${label}`, WRITE_CASE_NAMES, run);
}

/** Registers the resumable uploads' table (partial-write-table.ts) for `label`, as {@link writeContract}. */
export function partialWriteContract(label: string, run: () => Promise<WriteCaseResult[]>): void {
  contractCases(`resumable uploads: ${label}`, PARTIAL_WRITE_CASE_NAMES, run);
}

function contractCases(title: string, names: readonly string[], run: () => Promise<WriteCaseResult[]>): void {
  describe(title, () => {
    let results: WriteCaseResult[] = [];
    beforeAll(async () => {
      results = await run();
    }, 120_000);

    it.each(names.map((name, index) => [name, index] as const))("%s", (name, index) => {
      const result = results[index];
      expect(result?.name).toBe(name);
      expect(result?.problems).toEqual([]);
    });
  });
}
