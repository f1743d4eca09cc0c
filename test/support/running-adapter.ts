/**
 * For server scripts that tests start under Node (through tsx), Bun or Deno: the runtime running
 * the script, and `serve()` of that runtime's adapter, imported by its package name so the script
 * runs the built code a user gets.
 */
import type { RunningServer, ServeOptions } from "@simplehttp/core";

type Serve = (options: ServeOptions) => Promise<RunningServer>;

export const runtime: "bun" | "deno" | "node" = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";

const adapters: Record<typeof runtime, () => Promise<{ serve: Serve }>> = {
  node: () => import("@simplehttp/node"),
  bun: () => import("@simplehttp/bun"),
  deno: () => import("@simplehttp/deno"),
};

export const { serve } = await adapters[runtime]();

/** Stops `server` and exits 0 on SIGTERM, then prints the one JSON line the spawning test waits for. */
export function announce(server: RunningServer, extra: Record<string, unknown> = {}): void {
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port, ...extra })}\n`);
}
