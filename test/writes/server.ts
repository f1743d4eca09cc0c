/**
 * Starts simplehttp with writes on, on the runtime running this script (Node through tsx, Bun or
 * Deno), serving argv[2] on 127.0.0.1 and a free port with the handler's `write` option given as
 * JSON in argv[3]. Prints one JSON line `{"url":…,"port":…}` when ready; exits 0 on SIGTERM.
 */
import type { WriteOptions } from "@simplehttp/core";
import { announce, runtime, serve } from "../support/running-adapter.ts";

const [root, write] = process.argv.slice(2);
if (!root || !write) throw new Error("usage: server.ts ROOT WRITE-OPTIONS-JSON");
const server = await serve({ root, port: 0, hostname: "127.0.0.1", write: JSON.parse(write) as WriteOptions });
announce(server, { runtime });
