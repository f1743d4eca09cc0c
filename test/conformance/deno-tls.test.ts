import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("deno over HTTPS (HTTP/1.1)", () => startDiskTarget("deno", { tls: true }), {
  disk: true,
  stringOnlyFileNames: true,
  transport: "https",
  stopsAtHalfClose: true,
});
