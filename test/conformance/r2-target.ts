/** The conformance target on R2: the fixture uploaded as objects, as rclone would upload it. */
import { putAll, type SeedBucket, startR2Worker } from "../../packages/r2/test/miniflare.ts";
import { fixtureFiles, gzipText, MTIME } from "./fixture.ts";
import type { Target } from "./suite.ts";

/**
 * Stores the fixture's files in `bucket`, each with rclone's `mtime` (seconds since the epoch) so
 * Last-Modified is the fixture's time, not the upload's. Left out, since storage cannot hold them:
 * empty folders (`empty-dir/`; a folder is a prefix of keys) and names with a byte that is not
 * UTF-8 (a lone surrogate in the fixture; R2 keys are UTF-8).
 */
export async function seedFixture(bucket: SeedBucket): Promise<void> {
  const files = Object.entries(fixtureFiles(await gzipText())).filter(
    ([key]) => !key.endsWith("/") && key.isWellFormed(),
  );
  await putAll(
    bucket,
    files.map(([key, content]) => [key, content, { customMetadata: { mtime: String(MTIME / 1000) } }]),
  );
}

export async function startR2Target(): Promise<Target> {
  const worker = await startR2Worker("test/conformance/r2-worker.ts");
  await seedFixture(worker.bucket);
  return {
    url: worker.url,
    port: worker.port,
    async writeFile(path, content, mtimeMs) {
      const metadata = mtimeMs === undefined ? {} : { customMetadata: { mtime: String(mtimeMs / 1000) } };
      await putAll(worker.bucket, [[path, content, metadata]]);
    },
    removeFile: (path) => worker.bucket.delete(path),
    stop: () => worker.stop(),
  };
}
