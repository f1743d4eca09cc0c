/**
 * Starts simplehttp on the runtime running this script (Node through tsx, Bun, or Deno) with the
 * adapter of that runtime, serving argv[2] with SERVER_OPTIONS on 127.0.0.1 and a free port, over
 * HTTPS when the environment gives a certificate (test-certificate.ts's TLS_ENV).
 * Prints one JSON line `{"url":…,"port":…}` when ready; exits 0 on SIGTERM.
 */
import type { RunningServer, ServeOptions } from "@simplehttp/core";
import { TLS_ENV } from "../support/test-certificate.ts";
import { SERVER_OPTIONS, SITE_OPTIONS } from "./fixture.ts";

type Serve = (options: ServeOptions) => Promise<RunningServer>;

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
// Each adapter is imported by its package name, so this runs the built code a user gets.
const adapters: Record<string, () => Promise<{ serve: Serve }>> = {
  node: () => import("@simplehttp/node"),
  bun: () => import("@simplehttp/bun"),
  deno: () => import("@simplehttp/deno"),
};
const { serve } = await (adapters[runtime] as () => Promise<{ serve: Serve }>)();
const root = process.argv[2];
if (!root) throw new Error("usage: server.ts ROOT");
const tlsJson = process.env[TLS_ENV];
const tls = tlsJson ? (JSON.parse(tlsJson) as { cert: string; key: string }) : undefined;
// argv[3] "site": the site options (site-options.ts) instead of the plain ones.
const options = process.argv[3] === "site" ? SITE_OPTIONS : SERVER_OPTIONS;
const server = await serve({ ...options, root, port: 0, hostname: "127.0.0.1", tls });
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, runtime })}\n`);
