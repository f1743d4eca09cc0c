import { conformanceSuite } from "./suite.ts";
import { startDiskTarget } from "./targets.ts";

conformanceSuite("deno over HTTP/2", () => startDiskTarget("deno", { tls: true }), {
  disk: true,
  stringOnlyFileNames: true,
  transport: "h2",
});
