/**
 * The containment table (test/support/containment-table.ts) against nodeFileSystem, called in
 * this process: with Linux's /proc check, and with the portable check alone.
 */
import { type ProbeResult, runCases, subjectFor } from "../../../test/support/containment-probe.ts";
import { containmentTable } from "../../../test/support/containment-suite.ts";

for (const variant of ["node", "node-portable"] as const) {
  const run = async (base: string): Promise<ProbeResult> => runCases(await subjectFor(variant), base);
  containmentTable({ label: variant, deno: false, countsDescriptors: false, run });
}
