// Peer: hono's serveStatic on @hono/node-server, the setup most like simplehttp's (Request) => Response design.
// usage: node hono-static.mjs ROOT PORT
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

const [root, port] = process.argv.slice(2);
const app = new Hono();
app.use("*", serveStatic({ root }));
serve({ fetch: app.fetch, port: Number(port), hostname: "127.0.0.1" });
