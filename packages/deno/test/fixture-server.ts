/// <reference types="deno" />
/**
 * A server for the tests, run by Deno:
 * `deno run -A fixture-server.ts <root> [port] [module] [--follow-symlinks]`.
 * Serves `root` on 127.0.0.1 (`port`, default 0) with `serve()` from `module` (default the TS
 * source; the test passes the built dist too), following every symlink with `--follow-symlinks`,
 * then prints JSON lines on stdout: `{"url":…}` once listening, `{"log":…}` per answered request,
 * or `{"error":{name,code,message}}` if it cannot listen.
 * SIGTERM closes the server and exits 0.
 */
import type { RunningServer, ServeOptions } from "@simplehttp/core";

interface Adapter {
  serve(options: ServeOptions): Promise<RunningServer>;
}

const [root = ".", port = "0", module = "../src/index.ts", flag] = Deno.args;
const print = (value: unknown): void => console.log(JSON.stringify(value));
const adapter: Adapter = await import(new URL(module, import.meta.url).href);

let server: RunningServer;
try {
  const followSymlinks = flag === "--follow-symlinks";
  server = await adapter.serve({
    root,
    port: Number(port),
    hostname: "127.0.0.1",
    followSymlinks,
    onRequest: (entry) => print({ log: entry }),
  });
} catch (error) {
  const {
    name = "",
    message = "",
    code = undefined,
  } = error instanceof Error ? (error as Error & { code?: string }) : {};
  print({ error: { name, code, message } });
  Deno.exit(1);
}
Deno.addSignalListener("SIGTERM", () => {
  void server.close().then(() => Deno.exit(0));
});
print({ url: server.url, port: server.port, hostname: server.hostname });
