/** Bundles a worker for a neutral platform and runs it in workerd through Miniflare. */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { REPO_ROOT } from "./spawn-server.ts";

export interface RunningWorker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startWorker(entry: string): Promise<RunningWorker> {
  const bundle = await build({
    entryPoints: [`${REPO_ROOT}${entry}`],
    bundle: true,
    format: "esm",
    // Neutral: nothing of Node may be assumed, which is what proves the core runtime-agnostic.
    platform: "neutral",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-01-01", host: "127.0.0.1", port: 0 });
  const url = await mf.ready;
  return { url: url.href, port: Number(url.port), stop: () => mf.dispose() };
}
