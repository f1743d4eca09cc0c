/**
 * simplehttp serving an R2 bucket from a Worker: `/docs/` lists the keys under `docs/` (or serves
 * `docs/index.html` when there is one), `/docs/a.pdf` streams that object with Range, ETag and
 * Last-Modified. wrangler.toml binds the bucket as `BUCKET`; packages/r2/test/example.test.ts
 * bundles this file and runs it in workerd with a seeded bucket.
 */
import { createHandler, type Handler } from "@simplehttp/core";
import { type R2BucketLike, r2FileSystem } from "@simplehttp/r2";

interface Env {
  BUCKET: R2BucketLike;
  /** Serve only the keys under this folder of the bucket (wrangler.toml `[vars]`). */
  PREFIX?: string;
}

// One handler per isolate: its options are parsed once, and the binding is the same for every request.
let handler: Handler | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= createHandler({ fs: r2FileSystem(env.BUCKET, { prefix: env.PREFIX ?? "" }) });
    return handler(request);
  },
};
