/**
 * Run by protocol.test.ts under Bun: `bun fixture-bare.ts`. A bare `Bun.serve`, none of simplehttp,
 * on 127.0.0.1, port 0, whose handler answers `200 saw <method> <url>` (16 MiB of zeros for `/big`):
 * what Bun itself does with a request, to tell a runtime limit from a defect of the adapter.
 * Writes `{ url, port }` as one JSON line, then serves until SIGTERM.
 */

/** The part of Bun's API used here: tsc checks this file with Node's types, which lack Bun's globals. */
interface BareBun {
  serve(options: { hostname: string; port: number; development: boolean; fetch(request: Request): Response }): {
    port: number;
  };
}

const bun = Reflect.get(globalThis, "Bun") as BareBun;
const big = new Uint8Array(16 * 1024 * 1024);
const server = bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  development: false,
  fetch: (request) =>
    new Response(new URL(request.url).pathname === "/big" ? big : `saw ${request.method} ${request.url}`),
});
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.port}/`, port: server.port })}\n`);
