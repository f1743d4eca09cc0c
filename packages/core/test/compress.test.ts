/**
 * On-the-fly gzip (http/compress.ts): the body is read as it is compressed, never whole first (a
 * 100,000-entry listing is 15.8 MB), and a failure on either side ends the other.
 */
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzip } from "../src/http/compress.js";

const CHUNK = 40 * 1024;
const CHUNKS = 200;

/** A body of `count` chunks, each made when asked for; counts them, and records a cancel. */
function madeOnDemand(count: number, failAt = -1) {
  const seen = { made: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      pull(controller) {
        if (seen.made === failAt) return controller.error(new Error("the disk went away"));
        if (seen.made === count) return controller.close();
        const row = `<tr><td>entry ${seen.made}</td></tr>\n`;
        controller.enqueue(new TextEncoder().encode(row.repeat(Math.ceil(CHUNK / row.length)).slice(0, CHUNK)));
        seen.made++;
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, seen };
}

describe("gzip on the fly", () => {
  it("gives its first bytes before the body is read whole, and the whole body in the end", async () => {
    const { body, seen } = madeOnDemand(CHUNKS);
    const reader = gzip(body).getReader();
    const parts: Uint8Array[] = [];
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(seen.made).toBeLessThan(20);
    parts.push(first.value as Uint8Array);
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    expect(seen.made).toBe(CHUNKS);
    expect(gunzipSync(Buffer.concat(parts)).length).toBe(CHUNKS * CHUNK);
  });

  it("stops reading the body once the client cancels the compressed reply", async () => {
    const { body, seen } = madeOnDemand(CHUNKS);
    const reader = gzip(body).getReader();
    await reader.read();
    await reader.cancel(new Error("client gone"));
    await expect.poll(() => seen.cancelled).toBe(true);
    expect(seen.made).toBeLessThan(CHUNKS);
  });

  it("fails the compressed reply when the body cannot be read to its end", async () => {
    const { body } = madeOnDemand(CHUNKS, 30);
    await expect(new Response(gzip(body)).arrayBuffer()).rejects.toThrow();
  });
});
