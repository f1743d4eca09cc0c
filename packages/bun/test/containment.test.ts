/**
 * The containment table (test/support/containment-table.ts) against bunFileSystem, called
 * directly in a Bun process (containment-probe.ts): with Linux's /proc check, and with the
 * portable check alone.
 */

import { containmentTable, PROBE, spawnProbe } from "../../../test/support/containment-suite.ts";
import { BUN } from "../../../test/support/spawn-server.ts";

for (const variant of ["bun", "bun-portable"] as const) {
  containmentTable({ label: variant, deno: false, countsDescriptors: true, run: spawnProbe(BUN, [PROBE, variant]) });
}
