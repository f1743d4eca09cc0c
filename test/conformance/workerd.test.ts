import { startWorker } from "../support/workerd.ts";
import { conformanceSuite } from "./suite.ts";

// The core bundled for a neutral platform, over the in-memory filesystem, in workerd.
conformanceSuite("workerd", () => startWorker("test/conformance/worker.ts"), {
  rewritesAcceptEncoding: true,
  failsAbsoluteFormItself: true,
  normalisesTargets: true,
  fixedFiles: true,
});
