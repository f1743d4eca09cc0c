/**
 * Run by bun.test.ts and hardening.test.ts under Bun: `bun fixture-server.ts <root> [--follow-symlinks]`.
 * Serves `<root>` on 127.0.0.1, port 0, and writes JSON lines to stdout: first `{ url, port, pid }`,
 * then `{ log: entry }` for each request answered. Closes the server on SIGTERM, then exits 0.
 */
import type * as BunAdapter from "@simplehttp/bun";

// Bun runs the adapter from source. tsc checks this file against the built declarations instead,
// so the test program (Node's types) never takes in Bun's globals, which clash with Node's.
const { serve } = (await import(new URL("../src/index.ts", import.meta.url).href)) as typeof BunAdapter;

const root = process.argv[2];
if (!root) throw new Error("usage: bun fixture-server.ts <root> [--follow-symlinks]");
const followSymlinks = process.argv.includes("--follow-symlinks");

const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
const server = await serve({
  root,
  followSymlinks,
  port: 0,
  hostname: "127.0.0.1",
  onRequest: (entry) => print({ log: entry }),
});
process.once("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
print({ url: server.url, port: server.port, pid: process.pid });
