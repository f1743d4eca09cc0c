import { startS3Target } from "./s3-targets.ts";
import { conformanceSuite } from "./suite.ts";

// The core over s3FileSystem() on Bun (Bun.serve), reading the fixture from a bucket in moto. Bun
// sends a streamed body (an object over 256 KiB) chunked, and drops a pipelined request that
// arrives while the handler awaits the bucket: see the traits.
conformanceSuite("s3 on bun", () => startS3Target("bun"), {
  stringOnlyFileNames: true,
  storeETags: true,
  chunkedStreams: true,
  dropsPipelinedWhileAwaiting: true,
  stopsAtHalfClose: true,
});
