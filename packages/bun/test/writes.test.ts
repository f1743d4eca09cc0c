/**
 * The write table (test/support/write-table.ts) against bunFileSystem's writes, called directly in
 * a Bun process (write-probe.ts).
 */

import { diskWriteCases } from "../../../test/support/disk-writes-suite.ts";
import { BUN } from "../../../test/support/spawn-server.ts";
import { writeContract } from "../../../test/support/write-suite.ts";
import type { WriteCaseResult } from "../../../test/support/write-table.ts";
import { scratchFolder, spawnWriteProbe, WRITE_PROBE } from "../../../test/support/writes-spawn.ts";

const root = scratchFolder("simplehttp-bun-writes-");
const probe = spawnWriteProbe(BUN, [WRITE_PROBE, "bun"]);

writeContract("bun", async () => (await probe("table", root)) as WriteCaseResult[]);

diskWriteCases({ label: "bun", run: probe, command: [BUN, WRITE_PROBE, "bun"] });
