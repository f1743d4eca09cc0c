/**
 * Starts simplehttp with live reload on the runtime running this script (Node through tsx, Bun,
 * or Deno), serving argv[2] on 127.0.0.1 and a free port, over HTTPS when the environment gives a
 * certificate (test-certificate.ts's TLS_ENV). Prints one JSON line `{"url":…,"port":…}` when
 * ready; exits 0 on SIGTERM.
 */
import { announce, runtime, serve } from "./running-adapter.ts";
import { TLS_ENV } from "./test-certificate.ts";

const root = process.argv[2];
if (!root) throw new Error("usage: live-server.ts ROOT");
const tlsJson = process.env[TLS_ENV];
const tls = tlsJson ? (JSON.parse(tlsJson) as { cert: string; key: string }) : undefined;
const server = await serve({ root, port: 0, hostname: "127.0.0.1", tls, liveReload: true });
announce(server, { runtime });
