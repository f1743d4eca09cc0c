/**
 * The write tables (test/support/write-table.ts, partial-write-table.ts) against bunFileSystem's
 * writes, called directly in a Bun process (write-probe.ts).
 */

import { diskWriteCases } from "../../../test/support/disk-writes-suite.ts";
import { BUN } from "../../../test/support/spawn-server.ts";
import { partialWriteContract, writeContract } from "../../../test/support/write-suite.ts";
import type { WriteCaseResult } from "../../../test/support/write-table.ts";
import { scratchFolder, spawnWriteProbe, WRITE_PROBE } from "../../../test/support/writes-spawn.ts";

const root = scratchFolder("simplehttp-bun-writes-");
const partialRoot = scratchFolder("simplehttp-bun-partial-");
const probe = spawnWriteProbe(BUN, [WRITE_PROBE, "bun"]);

writeContract("bun", async () => (await probe("table", root)) as WriteCaseResult[]);
partialWriteContract("bun", async () => (await probe("partial", partialRoot)) as WriteCaseResult[]);

diskWriteCases({ label: "bun", run: probe, command: [BUN, WRITE_PROBE, "bun"] });
