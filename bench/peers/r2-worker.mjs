// The R2 worker of the storage scenario: simplehttp's handler over `r2FileSystem(env.BUCKET)`, as a
// site on R2 would run it, behind a wrapper that counts every call to the bucket. bench/peers/
// r2-miniflare.mjs bundles it with esbuild and runs it in Miniflare.
// GET /__bench/stats answers {requests, calls, recent} (recent: the last calls, `get key`, `list
// prefix`…); with ?reset it zeroes them after answering. Nothing else is changed in the handler.
import { createHandler } from "@simplehttp/core";
import { r2FileSystem } from "@simplehttp/r2";

let requests = 0,
  calls = 0;
let recent = [];
const note = (call) => {
  calls++;
  recent.push(call);
  if (recent.length > 50) recent.shift();
};

function counted(bucket) {
  return {
    head: (key) => {
      note(`head ${key}`);
      return bucket.head(key);
    },
    get: (key, options) => {
      note(options?.range === undefined ? `get ${key}` : `get ${key} ${JSON.stringify(options.range)}`);
      return bucket.get(key, options);
    },
    list: (options = {}) => {
      note(`list ${options.prefix ?? ""} limit=${options.limit ?? "-"}${options.cursor ? " cursor" : ""}`);
      return bucket.list(options);
    },
  };
}

let handler = null; // made at the first request: the binding arrives with it
export default {
  async fetch(request, env) {
    const url = request.url;
    if (url.includes("/__bench/stats")) {
      const body = JSON.stringify({ requests, calls, recent });
      if (url.includes("reset")) {
        requests = 0;
        calls = 0;
        recent = [];
      }
      return new Response(body, { headers: { "content-type": "application/json" } });
    }
    requests++;
    handler ??= createHandler({ fs: r2FileSystem(counted(env.BUCKET)) });
    return handler(request);
  },
};
