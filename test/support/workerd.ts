/** Bundles a worker for a neutral platform and runs it in workerd through Miniflare. */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { REPO_ROOT } from "./spawn-server.ts";

export interface RunningWorker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Text bindings (wrangler.toml `[vars]`). @default none */
  bindings?: Record<string, string>;
  /** R2 buckets, binding name to bucket name (Miniflare keys its storage by the latter). @default none */
  r2Buckets?: Record<string, string>;
  /** @default "2025-01-01" */
  compatibilityDate?: string;
  /** esbuild's export conditions. @default esbuild's own for a neutral platform */
  conditions?: string[];
  /** esbuild's package.json fields. @default none: neutral reads no `main` field */
  mainFields?: string[];
}

/**
 * What wrangler resolves packages with for a worker. Neutral alone reads no `main` field, and
 * some packages (fast-xml-parser's dependencies strnum and @nodable/entities) declare nothing else.
 */
export const WRANGLER_RESOLUTION = {
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
} satisfies WorkerOptions;

/** Bundles `entry` (a path from the repository root) and serves it on 127.0.0.1 at a free port. */
export async function startWorker(
  entry: string,
  options: WorkerOptions = {},
): Promise<RunningWorker & { mf: Miniflare }> {
  const { bindings, r2Buckets, compatibilityDate = "2025-01-01", conditions, mainFields } = options;
  const bundle = await build({
    entryPoints: [`${REPO_ROOT}${entry}`],
    bundle: true,
    format: "esm",
    // Neutral: nothing of Node may be assumed, which is what proves the core runtime-agnostic.
    platform: "neutral",
    ...(conditions ? { conditions } : {}),
    ...(mainFields ? { mainFields } : {}),
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate,
    host: "127.0.0.1",
    port: 0,
    ...(bindings ? { bindings } : {}),
    ...(r2Buckets ? { r2Buckets } : {}),
  });
  try {
    const url = await mf.ready;
    return { url: url.href, port: Number(url.port), mf, stop: () => mf.dispose() };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  }
}
