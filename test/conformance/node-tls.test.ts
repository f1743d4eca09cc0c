import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("node over HTTPS (HTTP/1.1)", () => startDiskTarget("node", { tls: true }), {
  disk: true,
  transport: "https",
});
