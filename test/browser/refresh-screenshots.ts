/**
 * `pnpm screenshots`: takes the listing's screenshots with the browser test that takes them on
 * every run (accessibility.test.ts, into test/output/screenshots/), and copies them over the
 * committed ones in docs/screenshots/. Commit the result when the page's look changed on purpose.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { COMMITTED, SHOTS, TAKEN, UPLOAD_SHOT } from "./screenshots.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VITEST = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const TEST = "test/browser/accessibility.test.ts";

const run = spawnSync(process.execPath, [VITEST, "run", "--project", "browser", TEST, "-t", "screenshots"], {
  cwd: ROOT,
  stdio: "inherit",
  timeout: 300_000,
});
if (run.status !== 0) {
  console.error(`the screenshots were not taken (vitest exited with ${run.status ?? run.signal}): nothing copied`);
  process.exit(1);
}
const names = [...SHOTS.map(([name]) => name), UPLOAD_SHOT];
for (const name of names) copyFileSync(join(TAKEN, name), join(COMMITTED, name));
console.log(`copied ${names.join(", ")} to docs/screenshots/`);
