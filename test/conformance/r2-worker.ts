/**
 * The conformance fixture served from R2: the core handler over `r2FileSystem(env.BUCKET)`, bundled
 * with esbuild (--platform=neutral) and run in workerd through Miniflare, the bucket seeded by
 * r2-target.ts.
 */
import { createHandler, type Handler } from "@simplehttp/core";
import { type R2BucketLike, r2FileSystem } from "@simplehttp/r2";
import { SERVER_OPTIONS } from "./fixture.ts";

let handler: Handler | undefined;

export default {
  fetch(request: Request, env: { BUCKET: R2BucketLike }): Promise<Response> {
    handler ??= createHandler({ ...SERVER_OPTIONS, fs: r2FileSystem(env.BUCKET) });
    return handler(request);
  },
};
