/**
 * What stores share from core's fs/: a body cut into the parts of an upload (parts.ts), and
 * rclone's `mtime` written as it is read (store.ts).
 */
import { describe, expect, it } from "vitest";
import { mtimeSeconds, PartReader, partSize } from "../src/index.ts";

describe("a body in parts", () => {
  /** A body of `sizes.length` chunks, chunk `i` holding `sizes[i]` bytes of the value `i`. */
  function chunks(...sizes: number[]): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream({
      pull(controller) {
        const size = sizes[i];
        if (size === undefined) return controller.close();
        controller.enqueue(new Uint8Array(size).fill(i++));
      },
    });
  }

  async function all(reader: PartReader): Promise<{ sizes: number[]; lasts: boolean[]; bytes: number[] }> {
    const parts = [];
    for (let part = await reader.next(); ; part = await reader.next()) {
      parts.push(part);
      if (part.last) break;
    }
    return {
      sizes: parts.map((part) => part.bytes.byteLength),
      lasts: parts.map((part) => part.last),
      bytes: parts.flatMap((part) => [...part.bytes]),
    };
  }

  it("cuts parts of one size across chunks, the last shorter, and knows the last when it hands it out", async () => {
    const got = await all(new PartReader(chunks(3, 4, 2, 1), 4, { maxBytes: 100 }));
    expect(got.sizes).toEqual([4, 4, 2]);
    expect(got.lasts).toEqual([false, false, true]);
    expect(got.bytes).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 3]);
  });

  it("gives a body that fits in one part as one last part, an empty body as an empty one", async () => {
    expect((await all(new PartReader(chunks(2, 2), 4, { maxBytes: 100 }))).lasts).toEqual([true]);
    expect(await new PartReader(chunks(), 4, { maxBytes: 100 }).next()).toEqual({
      bytes: new Uint8Array(0),
      last: true,
    });
  });

  it("fails past the cap (EFBIG) and for a body longer or shorter than announced (EBADMSG)", async () => {
    await expect(all(new PartReader(chunks(4, 4, 4), 4, { maxBytes: 10 }))).rejects.toMatchObject({ code: "EFBIG" });
    await expect(all(new PartReader(chunks(4, 4), 4, { maxBytes: 100, length: 7 }))).rejects.toMatchObject({
      code: "EBADMSG",
    });
    await expect(all(new PartReader(chunks(4, 2), 4, { maxBytes: 100, length: 7 }))).rejects.toMatchObject({
      code: "EBADMSG",
    });
    expect((await all(new PartReader(chunks(4, 3), 4, { maxBytes: 7, length: 7 }))).sizes).toEqual([4, 3]);
  });

  it("cancels the body it stops reading", async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(8)),
      cancel: (reason) => {
        cancelled = reason;
      },
    });
    const reader = new PartReader(body, 4, { maxBytes: 100 });
    await reader.next();
    await reader.cancel("no more");
    expect(cancelled).toBe("no more");
  });

  it("grows the part size when 10,000 parts would not hold the cap, in whole MiB", () => {
    const mib = 2 ** 20;
    expect(partSize(10 * 1024 * mib, 8 * mib, 10_000)).toBe(8 * mib);
    expect(partSize(1024 * 1024 * mib, 8 * mib, 10_000)).toBe(105 * mib);
  });

  it("writes rclone's mtime as seconds with the milliseconds, and none before 1970", () => {
    expect(mtimeSeconds(1735787045123)).toBe("1735787045.123");
    expect(mtimeSeconds(1735787045000.7)).toBe("1735787045.000");
    expect(mtimeSeconds(-1)).toBeUndefined();
  });
});
