/**
 * Serves a bucket with simplehttp on the runtime running this script (Node through tsx, Bun, or
 * Deno), through that runtime's adapter, `serve({ fs: s3FileSystem(…) })`: the server the command
 * runs, with SERVER_OPTIONS, on 127.0.0.1 and a free port. Prints one JSON line
 * `{"url":…,"port":…}` when ready; exits 0 on SIGTERM.
 *
 * Usage: s3-server.ts ENDPOINT BUCKET
 */
import type { RunningServer, ServeOptions } from "@simplehttp/core";
import { s3FileSystem } from "@simplehttp/s3";
import { MOTO_CREDENTIALS, MOTO_REGION } from "../support/moto-credentials.ts";
import { SERVER_OPTIONS } from "./fixture.ts";

type Serve = (options: ServeOptions) => Promise<RunningServer>;

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
// Each adapter by its package name, so this runs the built code a user gets.
const adapters: Record<string, () => Promise<{ serve: Serve }>> = {
  node: () => import("@simplehttp/node"),
  bun: () => import("@simplehttp/bun"),
  deno: () => import("@simplehttp/deno"),
};
const { serve } = await (adapters[runtime] as () => Promise<{ serve: Serve }>)();
const [endpoint, bucket] = process.argv.slice(2);
if (!endpoint || !bucket) throw new Error("usage: s3-server.ts ENDPOINT BUCKET");
const fs = s3FileSystem({ bucket, endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
const server = await serve({ ...SERVER_OPTIONS, fs, port: 0, hostname: "127.0.0.1" });
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, runtime })}\n`);
