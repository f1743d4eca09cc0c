/**
 * The parts of r2FileSystem that Miniflare cannot be made to show, over a scripted bucket in Node:
 * failures R2 might have, an object replaced between two calls, and the pure helpers.
 */
import { createHandler, folderPrefix } from "@simplehttp/core";
import { describe, expect, it } from "vitest";
import {
  type R2BucketLike,
  type R2ObjectBodyLike,
  type R2WritableBucketLike,
  r2FileSystem,
  rcloneMtime,
} from "../src/index.ts";
import { keyOf } from "../src/keys.ts";
import { r2Range, rangeIn } from "../src/ranges.ts";

function objectOf(key: string, bytes: Uint8Array<ArrayBuffer>, onCancel = () => {}): R2ObjectBodyLike {
  return {
    key,
    size: bytes.byteLength,
    httpEtag: '"e"',
    uploaded: new Date(0),
    body: new ReadableStream({ pull: (controller) => controller.enqueue(bytes), cancel: onCancel }),
    arrayBuffer: async () => bytes.buffer,
  };
}

const unused = async (): Promise<never> => {
  throw new Error("not expected");
};

describe("r2FileSystem over a bucket that misbehaves", () => {
  it("throws a ranged get's error when the range was satisfiable: R2 failed for another reason", async () => {
    const failure = new Error("R2 is down (10001)");
    const bucket: R2BucketLike = {
      get: async () => {
        throw failure;
      },
      head: async (key) => objectOf(key, new Uint8Array(10)),
      list: unused,
    };
    await expect(r2FileSystem(bucket).open?.("a.bin", { start: 2 })).rejects.toMatchObject({
      code: "EUPSTREAM",
      cause: failure,
    });
  });

  it("answers 502 Bad Gateway when any call fails, and tells onError which call and why", async () => {
    const down = async (): Promise<never> => {
      throw new Error("We encountered an internal error. Please try again. (10001)");
    };
    const bucket: R2BucketLike = { get: down, head: down, list: down };
    const errors: unknown[] = [];
    const handler = createHandler({
      fs: r2FileSystem(bucket),
      siteRules: false, // the failing call is the file's, not a rule file's
      onError: (error) => errors.push(error),
    });
    for (const [path, method] of [
      ["/a.txt", "GET"],
      ["/a.txt", "HEAD"],
      ["/docs/", "GET"],
    ]) {
      const response = await handler(new Request(`http://localhost${path}`, { method }));
      expect(response.status, `${method} ${path}`).toBe(502);
    }
    expect(errors.map((error) => (error as Error).message)).toEqual([
      "r2: get a.txt: We encountered an internal error. Please try again. (10001)",
      "r2: head a.txt: We encountered an internal error. Please try again. (10001)",
      "r2: list docs/: We encountered an internal error. Please try again. (10001)",
    ]);
  });

  it("drops the bytes of a range a store answers though it cannot be satisfied, and gives the size alone", async () => {
    let cancelled = false;
    const bucket: R2BucketLike = {
      get: async (key) =>
        objectOf(key, new Uint8Array(10), () => {
          cancelled = true;
        }),
      head: unused,
      list: unused,
    };
    const opened = await r2FileSystem(bucket).open?.("a.bin", { start: 10 });
    expect(opened).toMatchObject({ stat: { kind: "file", size: 10 }, body: null, range: null });
    expect(cancelled).toBe(true);
  });

  it("refuses to read from an object that became shorter than its stat (503, so the client retries)", async () => {
    const bucket: R2BucketLike = { get: async (key) => objectOf(key, new Uint8Array(5)), head: unused, list: unused };
    await expect(r2FileSystem(bucket).read("a.bin", { start: 0, end: 9 })).rejects.toMatchObject({ code: "EAGAIN" });
  });

  it("reads an object deleted since its stat as ENOENT (404)", async () => {
    const bucket: R2BucketLike = { get: async () => null, head: unused, list: unused };
    await expect(r2FileSystem(bucket).read("gone.txt", { start: 0, end: 0 })).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("stops listing when a truncated page carries no cursor, rather than asking for the first page again", async () => {
    let calls = 0;
    const bucket: R2BucketLike = {
      get: unused,
      head: unused,
      list: async () => {
        calls++;
        return { objects: [objectOf("d/a", new Uint8Array(1))], delimitedPrefixes: [], truncated: true };
      },
    };
    expect((await r2FileSystem(bucket).readDir("d")).map((entry) => entry.name)).toEqual(["a"]);
    expect(calls).toBe(1);
  });
});

describe("helpers", () => {
  it("reads rclone's mtime exactly to the millisecond, and ignores what is not a decimal", () => {
    expect(rcloneMtime("1767323045.123456789")).toBe(1767323045123);
    expect(rcloneMtime("1767323045.9")).toBe(1767323045900);
    expect(rcloneMtime("1767323045")).toBe(1767323045000);
    for (const value of [undefined, "", "-1", "1e9", "yesterday", "12.5.1"])
      expect(rcloneMtime(value), String(value)).toBeUndefined();
  });

  it("names no key for a lone surrogate or past 1,024 bytes of UTF-8", () => {
    expect(keyOf("", "inv\uDCFFalid.txt")).toBeNull();
    expect(keyOf("p/", "é".repeat(511))).toBe(`p/${"é".repeat(511)}`); // 2 + 1,022 bytes
    expect(keyOf("p/", "é".repeat(512))).toBeNull();
    expect(keyOf("", "🎉 #?%.txt")).toBe("🎉 #?%.txt");
  });

  it("turns a prefix into a folder of keys", () => {
    expect(["", "/", "sites/www", "/sites/www/"].map(folderPrefix)).toEqual(["", "", "sites/www/", "sites/www/"]);
  });

  it("asks R2 for the hint's range and knows which bytes come back", () => {
    expect(r2Range({ start: 100, end: 199 })).toEqual({ offset: 100, length: 100 });
    expect(r2Range({ start: 5 })).toEqual({ offset: 5 });
    expect(r2Range({ suffix: 7 })).toEqual({ suffix: 7 });
    expect(rangeIn({ start: 900, end: 5000 }, 1000)).toEqual({ start: 900, end: 999 });
    expect(rangeIn({ suffix: 5000 }, 1000)).toEqual({ start: 0, end: 999 });
    expect(rangeIn({ start: 1000 }, 1000)).toBeNull();
    expect(rangeIn({ suffix: 1 }, 0)).toBeNull();
  });
});

describe("r2FileSystem's writes over a bucket that misbehaves", () => {
  /** An empty bucket that can write, whose `put` and uploads fail as R2 does when it cannot store. */
  function failingBucket(calls: string[]): R2WritableBucketLike {
    const down = async (): Promise<never> => {
      throw new Error("We encountered an internal error. Please try again. (10001)");
    };
    return {
      head: async () => null,
      get: async () => null,
      list: async () => ({ objects: [], delimitedPrefixes: [], truncated: false }),
      put: down,
      delete: down,
      async createMultipartUpload(key) {
        calls.push(`createMultipartUpload ${key}`);
        return {
          key,
          uploadId: "u1",
          uploadPart: down,
          abort: async () => {
            calls.push("abort");
          },
          complete: down,
        };
      },
    };
  }

  it("answers 502 when R2 fails a put, and tells onError which call and why", async () => {
    const errors: unknown[] = [];
    const fs = r2FileSystem(failingBucket([]), { writable: true });
    const handler = createHandler({ fs, write: { upload: true }, onError: (error) => errors.push(error) });
    const response = await handler(new Request("http://localhost/a.txt", { method: "PUT", body: "a" }));
    expect(response.status).toBe(502);
    expect((errors[0] as Error).message).toBe(
      "r2: put a.txt: We encountered an internal error. Please try again. (10001)",
    );
  });

  it("aborts an upload whose part R2 fails, and answers 502", async () => {
    const calls: string[] = [];
    const errors: unknown[] = [];
    const fs = r2FileSystem(failingBucket(calls), { writable: true });
    const handler = createHandler({ fs, write: { upload: true }, onError: (error) => errors.push(error) });
    const response = await handler(
      new Request("http://localhost/big.bin", { method: "PUT", body: new Uint8Array(9 * 2 ** 20) }),
    );
    expect(response.status).toBe(502);
    expect(calls).toEqual(["createMultipartUpload big.bin", "abort"]);
    expect((errors[0] as Error).message).toMatch(/^r2: uploadPart big.bin #1: /);
  });
});
