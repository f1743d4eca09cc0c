import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("bun", () => startDiskTarget("bun"), { disk: true, stopsAtHalfClose: true });
