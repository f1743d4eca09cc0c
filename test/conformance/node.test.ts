import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("node", () => startDiskTarget("node"), { disk: true });
