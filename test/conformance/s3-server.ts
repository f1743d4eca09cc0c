/**
 * Serves a bucket with simplehttp on the runtime running this script (Node through tsx, Bun, or
 * Deno), through that runtime's adapter, `serve({ fs: s3FileSystem(…) })`: the server the command
 * runs, with SERVER_OPTIONS, on 127.0.0.1 and a free port. Prints one JSON line
 * `{"url":…,"port":…}` when ready; exits 0 on SIGTERM.
 *
 * Usage: s3-server.ts ENDPOINT BUCKET
 */

import { s3FileSystem } from "@simplehttp/s3";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../support/moto-credentials.ts";
import { announce, runtime, serve } from "../support/running-adapter.ts";
import { SERVER_OPTIONS } from "./fixture.ts";

const [endpoint, bucket] = process.argv.slice(2);
if (!endpoint || !bucket) throw new Error("usage: s3-server.ts ENDPOINT BUCKET");
const fs = s3FileSystem({ bucket, endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
const server = await serve({ ...SERVER_OPTIONS, fs, port: 0, hostname: "127.0.0.1" });
announce(server, { runtime });
