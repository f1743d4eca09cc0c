/**
 * `serve()` of the adapter of the runtime running this script (Node through tsx, Bun, Deno with
 * `-A`), over HTTPS with the certificate and key of the environment (test-certificate.ts's
 * TLS_ENV, JSON `{cert, key}`), serving argv[2] on 127.0.0.1 and a free port. Prints one JSON
 * line: `{"url":…,"port":…}` once listening (then serves until SIGTERM), or `{"error":{message,code}}`
 * when serve() rejects (then exits 1), so a test sees each runtime's refusal as the CLI would.
 */
import type { RunningServer, ServeOptions } from "@simplehttp/core";
import { TLS_ENV } from "./test-certificate.ts";

type Serve = (options: ServeOptions) => Promise<RunningServer>;

const runtime = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
const adapters: Record<string, () => Promise<{ serve: Serve }>> = {
  node: () => import("@simplehttp/node"),
  bun: () => import("@simplehttp/bun"),
  deno: () => import("@simplehttp/deno"),
};
const { serve } = await (adapters[runtime] as () => Promise<{ serve: Serve }>)();
const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
const tls = JSON.parse(process.env[TLS_ENV] ?? "null") as { cert: string; key: string } | null;
if (tls === null) throw new Error(`usage: ${TLS_ENV}='{"cert":…,"key":…}' tls-serve.ts ROOT`);
try {
  const server = await serve({ root: process.argv[2] ?? ".", port: 0, hostname: "127.0.0.1", tls });
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
  print({ url: server.url, port: server.port });
} catch (error) {
  const { message, code } = error as { message?: unknown; code?: unknown };
  print({ error: { message, code } });
  process.exit(1);
}
