/**
 * A worker that reads a bucket, in workerd: bundled by workerd.ts's startWorker (esbuild,
 * --platform=neutral, so nothing of Node can slip in), resolving packages as wrangler does, with
 * bindings that tell it where moto listens. Miniflare lets a worker's
 * fetch reach 127.0.0.1, so the worker talks to moto over the network as a deployed one would.
 */
import { startWorker, WRANGLER_RESOLUTION } from "./workerd.ts";

export function startWorkerWithBindings(
  entry: string,
  bindings: Record<string, string>,
): ReturnType<typeof startWorker> {
  return startWorker(entry, { ...WRANGLER_RESOLUTION, bindings });
}
