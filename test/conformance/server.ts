/**
 * Starts simplehttp on the runtime running this script (Node through tsx, Bun, or Deno) with the
 * adapter of that runtime, serving argv[2] with SERVER_OPTIONS on 127.0.0.1 and a free port, over
 * HTTPS when the environment gives a certificate (test-certificate.ts's TLS_ENV).
 * Prints one JSON line `{"url":…,"port":…}` when ready; exits 0 on SIGTERM.
 */
import { announce, runtime, serve } from "../support/running-adapter.ts";
import { TLS_ENV } from "../support/test-certificate.ts";
import { SERVER_OPTIONS, SITE_OPTIONS } from "./fixture.ts";

const root = process.argv[2];
if (!root) throw new Error("usage: server.ts ROOT");
const tlsJson = process.env[TLS_ENV];
const tls = tlsJson ? (JSON.parse(tlsJson) as { cert: string; key: string }) : undefined;
// argv[3] "site": the site options (site-options.ts) instead of the plain ones.
const options = process.argv[3] === "site" ? SITE_OPTIONS : SERVER_OPTIONS;
const server = await serve({ ...options, root, port: 0, hostname: "127.0.0.1", tls });
announce(server, { runtime });
