// Runs bench/peers/r2-worker.mjs in Miniflare (workerd) with an R2 bucket seeded from the fixture:
// the root's files and the 1,000 files of dir/ as keys. Ready once GET /1k.bin answers 200, which
// is after the seeding. The bench pins this process to the server CPU; workerd, its child, inherits it.
// usage: node r2-miniflare.mjs ROOT PORT
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const [root, port] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
// As packages/r2/test/miniflare.ts bundles its worker: ESM, neutral platform, everything inlined.
const bundle = await build({
  entryPoints: [join(here, "r2-worker.mjs")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  write: false,
  logLevel: "silent",
});
const mf = new Miniflare({
  modules: true,
  script: bundle.outputFiles[0].text,
  compatibilityDate: "2025-01-01",
  host: "127.0.0.1",
  port: Number(port),
  r2Buckets: { BUCKET: "bench" },
});
await mf.ready;
const bucket = await mf.getR2Bucket("BUCKET");

const objects = [];
for (const name of readdirSync(root)) {
  const path = join(root, name);
  if (statSync(path).isFile() && statSync(path).size <= 1 << 20) objects.push([name, path]);
}
for (const name of readdirSync(join(root, "dir"))) objects.push([`dir/${name}`, join(root, "dir", name)]);
// A few at a time: each put is a round trip into workerd. Bytes in an ArrayBuffer of their own
// (Miniflare's proxy refuses a view into a larger one, as Node's pooled Buffers are).
for (let i = 0; i < objects.length; i += 50) {
  await Promise.all(objects.slice(i, i + 50).map(([key, path]) => bucket.put(key, new Uint8Array(readFileSync(path)))));
}
process.on("SIGTERM", () => mf.dispose().finally(() => process.exit(0)));
