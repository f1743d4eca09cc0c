/**
 * The conformance fixture from a bucket, as an edge worker: the core handler over s3FileSystem(),
 * bundled with esbuild (--platform=neutral) and run in workerd through Miniflare, fetching from
 * the bucket over the network as a deployed worker would. The endpoint and bucket are bindings.
 */
import { createHandler, type Handler } from "@simplehttp/core";
import { s3FileSystem } from "@simplehttp/s3";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../support/moto-credentials.ts";
import { SERVER_OPTIONS } from "./fixture.ts";

interface Env {
  S3_ENDPOINT: string;
  S3_BUCKET: string;
}

let handler: Handler | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= createHandler({
      ...SERVER_OPTIONS,
      fs: s3FileSystem({
        bucket: env.S3_BUCKET,
        endpoint: env.S3_ENDPOINT,
        region: MOTO_REGION,
        credentials: MOTO_CREDENTIALS,
      }),
    });
    return handler(request);
  },
};
