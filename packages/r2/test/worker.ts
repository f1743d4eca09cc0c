/**
 * The test worker: the handler over `env.BUCKET` behind a wrapper that counts every R2 call,
 * reported in the `x-r2-calls` response header (JSON). The request's `x-test-config` header (JSON)
 * sets the filesystem's options (`prefix`, `listingMtime`) and any handler option (`siteRules` is
 * off unless it says so).
 */
import { createHandler, type HandlerOptions } from "@simplehttp/core";
import { type R2BucketLike, r2FileSystem } from "@simplehttp/r2";

type Config = Omit<HandlerOptions, "fs"> & { prefix?: string; listingMtime?: boolean };

/** `bucket` with each call written to `calls`: `get key`, `get key {range}`, `head key`, `list prefix limit=…`. */
function counted(bucket: R2BucketLike, calls: string[]): R2BucketLike {
  return {
    head: (key) => {
      calls.push(`head ${key}`);
      return bucket.head(key);
    },
    get: (key, options) => {
      calls.push(options?.range === undefined ? `get ${key}` : `get ${key} ${JSON.stringify(options.range)}`);
      return bucket.get(key, options);
    },
    list: async (options = {}) => {
      const page = await bucket.list(options);
      calls.push(
        `list ${options.prefix ?? ""} limit=${options.limit ?? "-"}` +
          `${options.cursor ? " cursor" : ""}${page.truncated ? " truncated" : ""}`,
      );
      return page;
    },
  };
}

export default {
  async fetch(request: Request, env: { BUCKET: R2BucketLike }): Promise<Response> {
    const calls: string[] = [];
    const { prefix, listingMtime, ...options } = JSON.parse(request.headers.get("x-test-config") ?? "{}") as Config;
    const handler = createHandler({
      // The counts are the lookup's own unless a test asks for the site's rules, which a worker
      // checks on every request (round-trips.test.ts counts them).
      siteRules: false,
      ...options,
      fs: r2FileSystem(counted(env.BUCKET, calls), { prefix, listingMtime }),
    });
    const response = await handler(request);
    // Header values travel as bytes a raw client reads as latin1: keep them ASCII.
    const ascii = JSON.stringify(calls).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    response.headers.set("x-r2-calls", ascii);
    return response;
  },
};
