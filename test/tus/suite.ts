/**
 * tus-js-client (tus's own client, from npm, in Node) against a live server of each runtime with
 * `write: { upload: true }` (test/writes/server.ts): a whole upload, one cut off at 60% by a flaky
 * network (cut-proxy.ts) and resumed, and one terminated. What issue 20 asks of resumable
 * uploads: the upload resumes from the offset the server stored, no byte before it is sent again,
 * and the file appears at its name only when complete, byte for byte.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HttpRequest, type HttpResponse, Upload, type UploadOptions } from "tus-js-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpawnedServer } from "../support/spawn-server.ts";
import { startWriteServer, type WriteRuntime } from "../writes/targets.ts";
import { cutProxy } from "./cut-proxy.ts";

const MIB = 1024 * 1024;
const TEMP_PREFIX = ".simplehttp-upload-";

/** One request tus-js-client sent, and what it was answered. */
interface Exchange {
  method: string;
  offset: string | undefined;
  status: number;
  answered: string | undefined;
}

/** An Upload of `bytes` named `filename` to `endpoint`, noting each exchange; never retried by itself. */
function upload(bytes: Buffer, endpoint: string, filename: string, exchanges: Exchange[], more: UploadOptions = {}) {
  let settle: { resolve(): void; reject(error: Error): void } = { resolve() {}, reject() {} };
  const tus = new Upload(bytes, {
    endpoint,
    metadata: { filename, filetype: "application/octet-stream" },
    retryDelays: null,
    onAfterResponse: (req: HttpRequest, res: HttpResponse) => {
      const method = req.getMethod();
      const offset = req.getHeader("Upload-Offset");
      exchanges.push({ method, offset, status: res.getStatus(), answered: res.getHeader("Upload-Offset") });
    },
    onSuccess: () => settle.resolve(),
    onError: (error) => settle.reject(error),
    ...more,
  });
  /** Starts (or resumes) the upload: settles when it succeeds or fails. */
  const run = () =>
    new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
      tus.start();
    });
  return { tus, run };
}

/** The size of the one temporary file in `dir`, once it has stopped growing for 200 ms (within 10 s). */
async function settledTempSize(dir: string): Promise<number> {
  const size = (): number => {
    const temps = readdirSync(dir).filter((name) => name.startsWith(TEMP_PREFIX));
    return temps.length === 1 ? statSync(join(dir, temps[0] ?? "")).size : -1;
  };
  let last = size();
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = size();
    if (now === last) return now;
    last = now;
  }
  throw new Error(`the upload's temporary file in ${dir} never settled`);
}

/** The names in `dir`, the temporary ones as `<temp>`. */
function namesIn(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => (name.startsWith(TEMP_PREFIX) ? "<temp>" : name))
    .sort();
}

/**
 * Registers the tus-js-client cases for `runtime`.
 *
 * @example
 * ```ts
 * tusClientSuite("bun");
 * ```
 */
export function tusClientSuite(runtime: WriteRuntime): void {
  describe(`tus-js-client against ${runtime}`, () => {
    let root = "";
    let server: SpawnedServer | undefined;
    beforeAll(async () => {
      root = realpathSync(mkdtempSync(join(tmpdir(), `simplehttp-tus-${runtime}-`)));
      mkdirSync(join(root, "inbox"));
      server = await startWriteServer(runtime, root, { write: { upload: true } });
    }, 30_000);
    afterAll(async () => {
      await server?.stop();
      if (root !== "") rmSync(root, { recursive: true, force: true });
    });
    const port = (): number => server?.port ?? 0;

    it("uploads 4 MiB in one go: the file is there byte for byte, and the upload URL is then gone", async () => {
      const bytes = randomBytes(4 * MIB);
      const exchanges: Exchange[] = [];
      const { tus, run } = upload(bytes, `http://127.0.0.1:${port()}/inbox/`, "whole.bin", exchanges);
      await run();
      expect(readFileSync(join(root, "inbox", "whole.bin")).equals(bytes)).toBe(true);
      expect(exchanges.map(({ method, status }) => `${method} ${status}`)).toEqual(["POST 201", "PATCH 204"]);
      expect(tus.url).toMatch(/\/inbox\/whole\.bin\?tus=[0-9a-f]{32}$/);
      const head = await fetch(tus.url ?? "", { method: "HEAD", headers: { "tus-resumable": "1.0.0" } });
      expect(head.status).toBe(404);
    });

    it("resumes an upload cut off at 60% from the offset stored, resending nothing before it", async () => {
      const bytes = randomBytes(5 * MIB);
      const proxy = await cutProxy(port());
      try {
        const exchanges: Exchange[] = [];
        const { run } = upload(bytes, `http://127.0.0.1:${proxy.port}/inbox/`, "resumed.bin", exchanges);
        const cut = proxy.cutAfter(Math.round(bytes.length * 0.6));
        await expect(run()).rejects.toThrow();
        await cut;
        // Nothing at the name yet, only the upload's own temporary file beside it.
        expect(namesIn(join(root, "inbox"))).toContain("<temp>");
        expect(namesIn(join(root, "inbox"))).not.toContain("resumed.bin");
        const early = await fetch(`http://127.0.0.1:${port()}/inbox/resumed.bin`);
        expect(early.status).toBe(404);
        const cutAt = proxy.forwarded();
        // The phone back on the network a moment later: the server has stored what reached it.
        const onDisk = await settledTempSize(join(root, "inbox"));
        await run();
        expect(readFileSync(join(root, "inbox", "resumed.bin")).equals(bytes)).toBe(true);
        const heads = exchanges.filter((each) => each.method === "HEAD");
        const patches = exchanges.filter((each) => each.method === "PATCH");
        const stored = Number(heads[0]?.answered);
        // The server kept what reached it before the cut (bytes still in the sockets' buffers then,
        // up to megabytes on loopback under load, are lost with the connection), and the client went
        // on from there.
        expect(stored).toBeGreaterThanOrEqual(onDisk);
        expect(stored).toBeGreaterThan(0);
        expect(stored).toBeLessThanOrEqual(bytes.length * 0.6);
        expect(patches.map((each) => [each.offset, each.status, each.answered])).toEqual([
          [String(stored), 204, String(bytes.length)],
        ]);
        // What went through the proxy after the cut is the rest of the file and a few heads.
        const after = proxy.forwarded() - cutAt;
        expect(after).toBeGreaterThanOrEqual(bytes.length - stored);
        expect(after).toBeLessThan(bytes.length - stored + 4096);
        expect(namesIn(join(root, "inbox"))).not.toContain("<temp>");
      } finally {
        await proxy.close();
      }
    });

    it("terminates an upload it gives up: DELETE, then nothing of it is left", async () => {
      const bytes = randomBytes(2 * MIB);
      const exchanges: Exchange[] = [];
      let terminated: Promise<void> | undefined;
      // After its first piece of two, the client gives the upload up: abort(true) sends DELETE.
      const { tus, run } = upload(bytes, `http://127.0.0.1:${port()}/inbox/`, "dropped.bin", exchanges, {
        chunkSize: MIB,
        onChunkComplete: () => {
          terminated ??= tus.abort(true);
        },
      });
      void run(); // an aborted upload never settles: the termination is what is awaited
      await expect.poll(() => terminated !== undefined, { timeout: 10_000 }).toBe(true);
      await terminated;
      expect(exchanges.map(({ method, status }) => `${method} ${status}`)).toEqual([
        "POST 201",
        "PATCH 204",
        "DELETE 204",
      ]);
      expect(namesIn(join(root, "inbox"))).not.toContain("dropped.bin");
      expect(namesIn(join(root, "inbox"))).not.toContain("<temp>");
    });
  });
}
