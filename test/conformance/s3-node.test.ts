import { startS3Target } from "./s3-targets.ts";
import { conformanceSuite } from "./suite.ts";

// The core over s3FileSystem() on Node, reading the fixture from a bucket in a local moto.
conformanceSuite("s3 on node", () => startS3Target("node"), { stringOnlyFileNames: true, storeETags: true });
