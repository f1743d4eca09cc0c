import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("deno", () => startDiskTarget("deno"), {
  disk: true,
  stringOnlyFileNames: true,
  stopsAtHalfClose: true,
});
