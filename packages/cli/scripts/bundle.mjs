/**
 * Bundles the command: `node packages/cli/scripts/bundle.mjs`, after `tsc -b` (the root `build`).
 *
 * A person waits for the banner, and Node 20 spends most of a plain start resolving, reading and
 * compiling the command's modules one by one (docs/performance.md, "Start-up"): one file for the
 * start (bundle/cli.js) and one chunk per dynamic import starts some 30 ms sooner. Splitting keeps
 * what a flag or a first request loads (TLS, the bucket, the listing, marked, the archives, the
 * writes, the Bun and Deno adapters) out of the start. bundle/meta.json says which source module
 * went into which chunk, so a test can still name what a start loads.
 *
 * @module
 */
import { rm, writeFile } from "node:fs/promises";
import { build } from "esbuild";

const CLI = new URL("../", import.meta.url);
const OUT = new URL("bundle/", CLI);

await rm(OUT, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: [new URL("dist/cli.js", CLI).pathname],
  outdir: OUT.pathname,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // The oldest runtime the command supports (package.json engines): Node 20.
  target: "node20",
  metafile: true,
  // meta.json's paths are then relative to the repository, wherever the build was started from.
  absWorkingDir: new URL("../../", CLI).pathname,
  logLevel: "warning",
});
await writeFile(new URL("meta.json", OUT), JSON.stringify(metafile));
