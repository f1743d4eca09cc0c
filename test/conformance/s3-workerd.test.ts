import { startS3Worker } from "./s3-targets.ts";
import { conformanceSuite } from "./suite.ts";

// The core and s3FileSystem() bundled for a neutral platform, in workerd, reading from moto.
conformanceSuite("s3 in workerd", startS3Worker, {
  rewritesAcceptEncoding: true,
  failsAbsoluteFormItself: true,
  normalisesTargets: true,
  stringOnlyFileNames: true,
  storeETags: true,
});
