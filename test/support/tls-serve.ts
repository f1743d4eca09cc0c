/**
 * `serve()` of the adapter of the runtime running this script (Node through tsx, Bun, Deno with
 * `-A`), over HTTPS with the certificate and key of the environment (test-certificate.ts's
 * TLS_ENV, JSON `{cert, key}`), serving argv[2] on 127.0.0.1 and a free port. Prints one JSON
 * line: `{"url":…,"port":…}` once listening (then serves until SIGTERM), or `{"error":{message,code}}`
 * when serve() rejects (then exits 1), so a test sees each runtime's refusal as the CLI would.
 */
import { announce, serve } from "./running-adapter.ts";
import { TLS_ENV } from "./test-certificate.ts";

const tls = JSON.parse(process.env[TLS_ENV] ?? "null") as { cert: string; key: string } | null;
if (tls === null) throw new Error(`usage: ${TLS_ENV}='{"cert":…,"key":…}' tls-serve.ts ROOT`);
try {
  const server = await serve({ root: process.argv[2] ?? ".", port: 0, hostname: "127.0.0.1", tls });
  announce(server);
} catch (error) {
  const { message, code } = error as { message?: unknown; code?: unknown };
  process.stdout.write(`${JSON.stringify({ error: { message, code } })}\n`);
  process.exit(1);
}
