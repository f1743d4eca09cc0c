/** The write table (test/support/write-table.ts) against nodeFileSystem's writes, in this process. */
import { runProbeTask } from "../../../test/support/write-probe.ts";
import { writeContract } from "../../../test/support/write-suite.ts";
import type { WriteCaseResult } from "../../../test/support/write-table.ts";
import { scratchFolder } from "../../../test/support/writes-spawn.ts";

const root = scratchFolder("simplehttp-node-writes-");

writeContract("node", async () => (await runProbeTask("node", "table", root)) as WriteCaseResult[]);
