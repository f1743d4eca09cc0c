/**
 * Runs @simplehttp/node's serve() (the TS source, through `node --import tsx`) in a process of its
 * own, so a test can count this process's descriptors in /proc/<pid>/fd. Serves argv[2] on
 * 127.0.0.1 and a free port, over HTTPS when the environment gives a certificate (TLS_ENV of
 * test-certificate.ts); prints one JSON line `{"url":…,"port":…}` when ready; exits 0 on SIGTERM.
 */
import { TLS_ENV } from "../../../test/support/test-certificate.ts";
import { serve } from "../src/index.js";

const root = process.argv[2];
if (!root) throw new Error("usage: fixture-server.ts ROOT");
const tls = process.env[TLS_ENV] ? (JSON.parse(process.env[TLS_ENV]) as { cert: string; key: string }) : undefined;
const server = await serve({ root, port: 0, hostname: "127.0.0.1", tls });
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
