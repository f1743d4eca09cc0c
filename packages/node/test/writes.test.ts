/**
 * The write tables (test/support/write-table.ts, partial-write-table.ts) against nodeFileSystem's
 * writes, in this process.
 */

import { diskWriteCases } from "../../../test/support/disk-writes-suite.ts";
import { runProbeTask } from "../../../test/support/write-probe.ts";
import { partialWriteContract, writeContract } from "../../../test/support/write-suite.ts";
import type { WriteCaseResult } from "../../../test/support/write-table.ts";
import { scratchFolder, WRITE_PROBE } from "../../../test/support/writes-spawn.ts";

const root = scratchFolder("simplehttp-node-writes-");
const partialRoot = scratchFolder("simplehttp-node-partial-");

writeContract("node", async () => (await runProbeTask("node", "table", root)) as WriteCaseResult[]);
partialWriteContract("node", async () => (await runProbeTask("node", "partial", partialRoot)) as WriteCaseResult[]);

diskWriteCases({
  label: "node",
  run: (task, dir) => runProbeTask("node", task, dir),
  command: [process.execPath, "--import", "tsx", WRITE_PROBE, "node"],
});
