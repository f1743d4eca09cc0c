/**
 * The fixture app on a real socket, run by Bun (`bun.exe serve-app.ts`) or Deno
 * (`deno run -A serve-app.ts`): listens on 127.0.0.1, port 0, prints `{"url","port"}` once
 * listening, and ends on SIGTERM (no handler: the default action).
 */
import { createApp } from "./fixture-app.ts";

type Fetch = (request: Request) => Response | Promise<Response>;
// Only what is called here of each runtime's global: the test program has Node's types, which
// clash with Bun's and Deno's own.
interface Runtimes {
  Bun?: { serve(options: { port: number; hostname: string; fetch: Fetch }): { port: number } };
  Deno?: {
    serve(
      options: { port: number; hostname: string; onListen(address: { port: number }): void },
      handler: Fetch,
    ): unknown;
  };
}

const app = createApp();
// Only the request: Deno passes its connection info second, which Hono would take as `env`.
const fetch: Fetch = (request) => app.fetch(request);
const hostname = "127.0.0.1";
const ready = (port: number): void => console.log(JSON.stringify({ url: `http://${hostname}:${port}/`, port }));
const { Bun, Deno } = globalThis as Runtimes;
if (Bun !== undefined) ready(Bun.serve({ port: 0, hostname, fetch }).port);
else if (Deno !== undefined) Deno.serve({ port: 0, hostname, onListen: ({ port }) => ready(port) }, fetch);
else throw new Error("serve-app.ts runs under Bun or Deno");
