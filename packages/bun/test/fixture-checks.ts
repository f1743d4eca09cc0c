/**
 * Run by bun.test.ts under Bun: `bun fixture-checks.ts <root>`, where `<root>` holds `a.txt` and a
 * directory `dir`. Checks what HTTP alone cannot reach (a file gone between the handler's stat and
 * its read; the listen errors; the wildcard bind) and writes the findings as one JSON line.
 */
import type * as BunAdapter from "@simplehttp/bun";

// Bun runs the adapter from source. tsc checks this file against the built declarations instead,
// so the test program (Node's types) never takes in Bun's globals, which clash with Node's.
const { bunFileSystem, serve } = (await import(new URL("../src/index.ts", import.meta.url).href)) as typeof BunAdapter;

const root = process.argv[2];
if (!root) throw new Error("usage: bun fixture-checks.ts <root>");

const codeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "code" in error ? error.code : String(error);
const settle = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => "resolved", codeOf);

const fs = bunFileSystem(root);
// A small range comes back as bytes read from a checked descriptor, a large one as a Bun.file
// slice (sent with sendfile); a.txt is small, so the large range is simply cut at its end.
const body = await fs.read("a.txt", { start: 1, end: 3 });
const large = await fs.read("a.txt", { start: 1, end: 99_999 });
const read = {
  isBytes: body instanceof Uint8Array,
  text: body instanceof Uint8Array ? new TextDecoder().decode(body) : null,
  isBlob: large instanceof Blob,
  largeText: large instanceof Blob ? (await large.text()).slice(0, 2) : null,
  missing: await settle(fs.read("gone.txt", { start: 0, end: 0 })),
  directory: await settle(fs.read("dir", { start: 0, end: 0 })),
  statMissing: await fs.stat("gone.txt"),
  statThroughFile: await fs.stat("a.txt/x"),
};

const first = await serve({ root, port: 0, hostname: "127.0.0.1" });
const busyPort = await settle(serve({ root, port: first.port, hostname: "127.0.0.1" }));
await first.close();

const wildcard = await serve({ root, port: 0 });
const viaIPv4 = (await fetch(`http://127.0.0.1:${wildcard.port}/a.txt`)).status;
const all = { hostname: wildcard.hostname, url: wildcard.url, port: wildcard.port, viaIPv4 };
await wildcard.close();

process.stdout.write(`${JSON.stringify({ read, busyPort, wildcard: all })}\n`);
