/**
 * The write tables (test/support/write-table.ts, partial-write-table.ts) against denoFileSystem's
 * writes, called directly in a Deno process (write-probe.ts) with every permission.
 */

import { diskWriteCases } from "../../../test/support/disk-writes-suite.ts";
import { DENO } from "../../../test/support/spawn-server.ts";
import { partialWriteContract, writeContract } from "../../../test/support/write-suite.ts";
import type { WriteCaseResult } from "../../../test/support/write-table.ts";
import { scratchFolder, spawnWriteProbe, WRITE_PROBE } from "../../../test/support/writes-spawn.ts";

const root = scratchFolder("simplehttp-deno-writes-");
const partialRoot = scratchFolder("simplehttp-deno-partial-");
const probe = spawnWriteProbe(DENO, ["run", "-A", WRITE_PROBE, "deno"]);

writeContract("deno", async () => (await probe("table", root)) as WriteCaseResult[]);
partialWriteContract("deno", async () => (await probe("partial", partialRoot)) as WriteCaseResult[]);

diskWriteCases({ label: "deno", run: probe, command: [DENO, "run", "-A", WRITE_PROBE, "deno"] });
