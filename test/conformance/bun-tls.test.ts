import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("bun over HTTPS (HTTP/1.1)", () => startDiskTarget("bun", { tls: true }), {
  disk: true,
  transport: "https",
  stopsAtHalfClose: true,
});
