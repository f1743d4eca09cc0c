/**
 * The middleware in a Hono app served by Bun and by Deno: each runtime runs serve-app.ts from its
 * own binary, and the suite talks to it over a socket.
 */
import { fileURLToPath } from "node:url";
import { BUN, DENO, spawnServer } from "../../../test/support/spawn-server.ts";
import { describeMiddleware } from "./suite.ts";

const APP = fileURLToPath(new URL("./serve-app.ts", import.meta.url));

for (const [runtime, command, args] of [
  ["Bun", BUN, [APP]],
  ["Deno", DENO, ["run", "-A", APP]],
] as const) {
  describeMiddleware(runtime, async () => {
    const server = await spawnServer(command, [...args]);
    return {
      fetch: (path, init) => fetch(new URL(path, server.url), { redirect: "manual", ...init }),
      stop: () => server.stop(),
    };
  });
}
