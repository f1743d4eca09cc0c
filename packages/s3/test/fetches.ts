/** Fetches for the tests: one that counts the store's round trips, one that never decodes. */
import { request } from "node:http";
import { Readable } from "node:stream";
import type { Fetch } from "../src/index.js";

/** A fetch that records each request as `METHOD key?query [range]`, then passes it on. */
export function countingFetch(inner: Fetch = (input, init) => fetch(input, init)) {
  const calls: string[] = [];
  const counted: Fetch = (input, init) => {
    const url = new URL(input);
    const key = decodeURIComponent(url.pathname.split("/").slice(2).join("/"));
    const range = new Headers(init.headers).get("range");
    calls.push(
      `${init.method ?? "GET"} ${key}` +
        `${url.search ? ` ${decodeURIComponent(url.search)}` : ""}${range ? ` [${range}]` : ""}`,
    );
    return inner(input, init);
  };
  return { fetch: counted, calls };
}

/**
 * A fetch over node:http that hands the body on as it came, as workerd's fetch does with
 * `encodeResponseBody: "manual"` and Bun's with `decompress: false`. Node's own fetch decodes a
 * stored Content-Encoding whatever it is told, and moto ignores response-content-encoding (the
 * override AWS, R2 and MinIO honour), so without this no Node test could see the bytes as stored.
 */
export const rawFetch: Fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of new Headers(init.headers)) headers[name] = value;
    const outgoing = request(
      input,
      { method: init.method ?? "GET", headers, signal: init.signal ?? undefined },
      (incoming) => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const status = incoming.statusCode ?? 500;
        const empty = init.method === "HEAD" || status === 204 || status === 304;
        if (empty) incoming.resume();
        const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array<ArrayBuffer>>);
        resolve(new Response(body, { status, headers: responseHeaders }));
      },
    );
    outgoing.once("error", reject);
    outgoing.end();
  });
