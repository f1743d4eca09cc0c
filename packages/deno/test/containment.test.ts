/**
 * The containment table (test/support/containment-table.ts) against denoFileSystem, called
 * directly in a Deno process (containment-probe.ts): with -A, where Deno may read /proc/self/fd
 * and the /proc check decides, and with read and write permission on the tree alone (and read on
 * the code), where it may not and the portable check decides.
 */
import { join } from "node:path";
import { containmentTable, PROBE, spawnProbe } from "../../../test/support/containment-suite.ts";
import { DENO, REPO_ROOT } from "../../../test/support/spawn-server.ts";

containmentTable({
  label: "deno",
  deno: true,
  procReadable: true,
  countsDescriptors: true,
  run: spawnProbe(DENO, ["run", "-A", PROBE, "deno"]),
});

containmentTable({
  label: "deno-portable",
  deno: true,
  procReadable: false,
  countsDescriptors: false, // /proc is what it may not read
  run: (base) => {
    const code = [join(REPO_ROOT, "packages"), join(REPO_ROOT, "node_modules"), join(REPO_ROOT, "test")];
    const permissions = [`--allow-read=${[base, ...code].join(",")}`, `--allow-write=${base}`];
    return spawnProbe(DENO, ["run", ...permissions, PROBE, "deno-portable"])(base);
  },
});
