/**
 * A worker that reads a bucket, in workerd: bundled as workerd.ts bundles one (esbuild,
 * --platform=neutral, so nothing of Node can slip in), resolving packages as wrangler does, with
 * bindings that tell it where moto listens. Miniflare lets a worker's
 * fetch reach 127.0.0.1, so the worker talks to moto over the network as a deployed one would.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { REPO_ROOT } from "./spawn-server.ts";
import type { RunningWorker } from "./workerd.ts";

export async function startWorkerWithBindings(entry: string, bindings: Record<string, string>): Promise<RunningWorker & { mf: Miniflare }> {
  const bundle = await build({
    entryPoints: [`${REPO_ROOT}${entry}`],
    bundle: true,
    format: "esm",
    platform: "neutral",
    // What wrangler resolves with for a worker. Neutral alone reads no `main` field, and
    // fast-xml-parser's dependencies (strnum, @nodable/entities) declare nothing else.
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-01-01", host: "127.0.0.1", port: 0, bindings });
  const url = await mf.ready;
  return { url: url.href, port: Number(url.port), mf, stop: () => mf.dispose() };
}
