/**
 * Starts simplehttp with writes on, on the runtime running this script (Node through tsx, Bun or
 * Deno), serving argv[2] on 127.0.0.1 and a free port with the handler options given as JSON in
 * argv[3] (`write`, and `auth` when a case needs a password). Prints one JSON line
 * `{"url":…,"port":…}` when ready; exits 0 on SIGTERM.
 */
import type { ServeOptions } from "@simplehttp/core";
import { announce, runtime, serve } from "../support/running-adapter.ts";

const [root, options] = process.argv.slice(2);
if (!root || !options) throw new Error("usage: server.ts ROOT OPTIONS-JSON");
const { write, auth } = JSON.parse(options) as Pick<ServeOptions, "write" | "auth">;
const server = await serve({ root, port: 0, hostname: "127.0.0.1", write, auth });
announce(server, { runtime });
