/**
 * r2FileSystem's writes in workerd, over Miniflare's R2 (writes-worker.ts runs each check where
 * the binding is): the write table, then uploads past one part: ~110 MiB read back byte for byte,
 * a body failing at 60 MiB leaving no object and no upload, the conditions checked before a
 * completion, and a copy past the largest put by parts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet } from "../../../test/support/raw-http.ts";
import { writeContract } from "../../../test/support/write-suite.ts";
import type { WriteCaseResult } from "../../../test/support/write-table.ts";
import { type R2Worker, startR2Worker } from "./miniflare.ts";

let worker: R2Worker;
beforeAll(async () => {
  worker = await startR2Worker("packages/r2/test/writes-worker.ts");
}, 60_000);
afterAll(() => worker?.stop());

/** Runs one check of the worker, on a connection of its own (one reused after a long check was reset). */
async function check<T>(path: string): Promise<T> {
  const response = await rawGet(worker.port, path, { "content-length": "0" }, { method: "POST", timeoutMs: 110_000 });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.body.toString()}`);
  return JSON.parse(response.body.toString()) as T;
}

writeContract("r2 (Miniflare)", () => check<WriteCaseResult[]>("/table"));
writeContract("r2 (Miniflare), under a prefix", () => check<WriteCaseResult[]>("/table?prefix=site/v1"));

type Stat = { size: number; etag?: string; contentType?: string; mtimeMs?: number } | null;

describe("a multipart upload through the binding", () => {
  it("stores ~110 MiB streamed from a generator, in 8 MiB parts, and reads back byte for byte", async () => {
    const { result, stat, calls, exact } = await check<{
      result: { created: boolean; stat: Stat };
      stat: Stat;
      calls: string[];
      exact: boolean;
    }>("/big");
    const size = 110 * 2 ** 20 + 12_345;
    expect(result.created).toBe(true);
    expect(stat).toMatchObject({ size, etag: result.stat?.etag });
    expect(calls).toEqual([
      "createMultipartUpload big/file.bin",
      ...Array.from({ length: 14 }, (_, i) => `uploadPart ${i + 1}`),
      "complete 14",
    ]);
    expect(exact).toBe(true);
  }, 120_000);

  it("leaves no object and no upload when the body fails at 60 MiB", async () => {
    const { put, calls, stat, after } = await check<{
      put: { message: string };
      calls: string[];
      stat: Stat;
      after: { message: string } | string;
    }>("/failing");
    expect(put.message).toContain("client gone mid-upload");
    expect(calls.at(0)).toBe("createMultipartUpload failed.bin");
    expect(calls.at(-1)).toBe("abort");
    expect(calls.filter((call) => call.startsWith("uploadPart"))).toHaveLength(7);
    expect(stat).toBeNull();
    expect(after).toMatchObject({ message: expect.stringMatching(/multipart upload does not exist/i) });
  }, 60_000);

  it.each(["create", "replace"])(
    "a %s loses to a write that landed while it uploaded, checked before the completion",
    async (mode) => {
      const { put, stat } = await check<{ put: { code: string }; stat: Stat }>(`/raced?mode=${mode}`);
      expect(put.code).toBe(mode === "create" ? "EEXIST" : "ESTALE");
      expect(stat).toMatchObject({ size: "meanwhile".length });
    },
    60_000,
  );

  it("copies past the largest put by ranged gets into parts, keeping the type and rclone's mtime", async () => {
    const { calls, stat, exact } = await check<{ calls: string[]; stat: Stat; exact: boolean }>("/copy-parts");
    expect(calls).toEqual([
      "createMultipartUpload copy/target.json",
      "uploadPart 1",
      "uploadPart 2",
      "uploadPart 3",
      "complete 3",
    ]);
    expect(stat).toMatchObject({ contentType: "application/json; charset=utf-8", mtimeMs: Date.UTC(2024, 1, 29) });
    expect(exact).toBe(true);
  }, 60_000);
});
