/**
 * A worker bundled with esbuild (`--platform=neutral`, as test/support/workerd.ts does) and run in
 * workerd through Miniflare with an R2 bucket, which the test seeds from Node.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { REPO_ROOT } from "../../../test/support/spawn-server.ts";

/** What a test stores objects with: Miniflare's R2 bucket, seen from Node. */
export interface SeedBucket {
  put(
    key: string,
    value: string | Uint8Array,
    options?: {
      httpMetadata?: { contentType?: string; contentEncoding?: string; cacheControl?: string };
      customMetadata?: Record<string, string>;
    },
  ): Promise<unknown>;
  delete(keys: string | string[]): Promise<void>;
}

export interface R2Worker {
  url: string;
  port: number;
  bucket: SeedBucket;
  stop(): Promise<void>;
}

export interface R2WorkerOptions {
  /** The binding's name. @default "BUCKET" */
  binding?: string;
  /** The bucket's name (Miniflare keys its storage by it). @default the binding's name */
  bucketName?: string;
  /** @default "2025-01-01" */
  compatibilityDate?: string;
  /** Text bindings (wrangler.toml `[vars]`). @default {} */
  bindings?: Record<string, string>;
}

/** Bundles `entry` (a path from the repository root) and serves it with one R2 bucket. */
export async function startR2Worker(entry: string, options: R2WorkerOptions = {}): Promise<R2Worker> {
  const { binding = "BUCKET", bucketName = binding, compatibilityDate = "2025-01-01", bindings = {} } = options;
  const bundle = await build({
    entryPoints: [`${REPO_ROOT}${entry}`],
    bundle: true,
    format: "esm",
    platform: "neutral",
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
    bindings,
    r2Buckets: { [binding]: bucketName },
  });
  const url = await mf.ready;
  // Miniflare types this with @cloudflare/workers-types, which is not installed (it resolves to
  // nonsense here): the proxy is an R2Bucket, of which SeedBucket is the part tests use.
  const bucket = (await mf.getR2Bucket(binding)) as unknown as SeedBucket;
  return { url: url.href, port: Number(url.port), bucket, stop: () => mf.dispose() };
}

/**
 * Stores `objects` a few at a time (each put is a round trip into workerd). Bytes are copied into
 * an ArrayBuffer of their own: Miniflare's proxy refuses a view into a larger one (Node's Buffers).
 */
export async function putAll(
  bucket: SeedBucket,
  objects: [key: string, value: string | Uint8Array, options?: Parameters<SeedBucket["put"]>[2]][],
): Promise<void> {
  for (let i = 0; i < objects.length; i += 50) {
    const batch = objects.slice(i, i + 50);
    await Promise.all(
      batch.map(([key, value, options]) =>
        bucket.put(key, typeof value === "string" ? value : new Uint8Array(value), options),
      ),
    );
  }
}
