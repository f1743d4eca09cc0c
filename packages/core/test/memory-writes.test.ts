/** The write tables (whole files, and resumable uploads) against memoryFileSystem's writes, in this process. */

import { runPartialWriteTable } from "../../../test/support/partial-write-table.ts";
import { partialWriteContract, writeContract } from "../../../test/support/write-suite.ts";
import { runWriteTable } from "../../../test/support/write-table.ts";
import { memoryFileSystem } from "../src/index.ts";

writeContract("memory", () => runWriteTable(memoryFileSystem({}, { writable: true })));
partialWriteContract("memory", () => runPartialWriteTable(memoryFileSystem({}, { writable: true })));
