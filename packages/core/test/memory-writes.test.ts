/** The write table against memoryFileSystem's writes, in this process. */

import { writeContract } from "../../../test/support/write-suite.ts";
import { runWriteTable } from "../../../test/support/write-table.ts";
import { memoryFileSystem } from "../src/index.ts";

writeContract("memory", () => runWriteTable(memoryFileSystem({}, { writable: true })));
