import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("node over HTTP/2", () => startDiskTarget("node", { tls: true }), { disk: true, transport: "h2" });
