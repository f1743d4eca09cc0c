/** Requests to the test worker (worker.ts), sent byte for byte, with the R2 calls each one cost. */
import { gunzipSync } from "node:zlib";
import { type RawResponse, rawGet } from "../../../test/support/raw-http.ts";
import type { R2Worker } from "./miniflare.ts";

export interface Answer extends RawResponse {
  /** The R2 calls the request made, as worker.ts writes them (`get key`, `list prefix limit=…`, …). */
  calls: string[];
  text: string;
}

/** Handler options and the filesystem's, sent to worker.ts in `x-test-config`. */
export type TestConfig = Record<string, unknown> & { prefix?: string; listingMtime?: boolean };

/**
 * A client for `worker`: `get(path, headers, method)`. `path` is sent as written (percent-encode it
 * yourself), with no Accept-Encoding; workerd tells the handler `br, gzip` all the same, so a
 * listing comes gzipped, and `text` is the body decoded.
 */
export function client(worker: R2Worker, config: TestConfig = {}) {
  return async (path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> => {
    const response = await rawGet(
      worker.port,
      path,
      { ...headers, "x-test-config": JSON.stringify(config) },
      { method, timeoutMs: 10_000 },
    );
    const calls = JSON.parse(response.headers["x-r2-calls"] ?? "null") as string[] | null;
    if (calls === null) throw new Error(`${path}: no x-r2-calls header (status ${response.status})`);
    const body = response.headers["content-encoding"] === "gzip" ? gunzipSync(response.body) : response.body;
    return { ...response, calls, text: body.toString() };
  };
}

/** `length` bytes that differ at every offset that matters: byte `i` is `i % 251`. */
export function patterned(length: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, (_, i) => i % 251);
}
