/// <reference types="deno" />
/**
 * A bare `Deno.serve`, none of our code, for host.test.ts:
 * `deno run --allow-net=127.0.0.1 bare-server.ts`. Prints `{"url":…,"port":…}` once listening (as
 * spawn-server.ts's spawnServer expects), then answers every request 200 with everything a handler
 * can learn about it (also printed as `{"seen":…}`): so a test can show what Deno passes on, and
 * that a 400 with no such line came from Deno itself. SIGTERM closes the server and exits 0.
 */
const abort = new AbortController();
const server = Deno.serve(
  {
    port: 0,
    hostname: "127.0.0.1",
    signal: abort.signal,
    onListen: ({ port }) => console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/`, port })),
  },
  (request, info) => {
    const seen = {
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      keepalive: request.keepalive,
      // Every property of the handler's second argument: a new one (a version?) fails the test.
      info: [...Object.keys(info), ...Object.getOwnPropertyNames(Object.getPrototypeOf(info))]
        .filter((key) => key !== "constructor")
        .sort(),
      remote: info.remoteAddr.hostname,
    };
    console.log(JSON.stringify({ seen }));
    return Response.json(seen);
  },
);
Deno.addSignalListener("SIGTERM", () => {
  abort.abort();
  void server.finished.then(() => Deno.exit(0));
});
