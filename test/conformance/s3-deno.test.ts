import { startS3Target } from "./s3-targets.ts";
import { conformanceSuite } from "./suite.ts";

// The core over s3FileSystem() on Deno (Deno.serve), reading the fixture from a bucket in moto.
conformanceSuite("s3 on deno", () => startS3Target("deno"), {
  stringOnlyFileNames: true,
  storeETags: true,
  stopsAtHalfClose: true,
});
