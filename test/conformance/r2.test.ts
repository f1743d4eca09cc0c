import { startR2Target } from "./r2-target.ts";
import { conformanceSuite } from "./suite.ts";

// The core over r2FileSystem in workerd, the fixture in Miniflare's R2. Not a disk: no symlinks,
// FIFOs or files to change underneath. R2 keys are UTF-8, so a name that is not cannot be stored
// and answers 404, as on Deno (stringOnlyFileNames). The ETags are R2's MD5s (storeETags).
conformanceSuite("r2", startR2Target, {
  rewritesAcceptEncoding: true,
  failsAbsoluteFormItself: true,
  normalisesTargets: true,
  stringOnlyFileNames: true,
  storeETags: true,
});
