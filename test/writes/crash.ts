/**
 * A crash mid-upload, through the command a user runs: `simplehttp --upload` is SIGKILLed while a
 * large PUT is half sent, its temporary file stays on disk (a crash runs no clean-up), and the
 * command started again on the same folder removes it (the walk at start, disk layer's
 * cleanup.ts), with nothing ever at the upload's name.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UPLOAD_TEMP_PREFIX } from "@simplehttp/core";
import { afterEach, describe, expect, it } from "vitest";
import { killAll, type RuntimeName, startServing, stop, withTimeout } from "../../packages/cli/test/run.ts";
import { RawConnection } from "../support/raw-http.ts";
import { listed, requestHead, tempFiles, until } from "./http.ts";
import type { WriteRuntime } from "./targets.ts";

const NAMES: Record<WriteRuntime, RuntimeName> = { node: "Node", bun: "Bun", deno: "Deno" };
const MIB = Buffer.alloc(1024 * 1024, "k");

export function crashCleanUpCase(runtime: WriteRuntime): void {
  describe("a crash mid-upload, through the command", () => {
    afterEach(killAll);

    it("simplehttp --upload SIGKILLed mid-body leaves its temporary file; started again, removes it", async () => {
      const base = realpathSync(mkdtempSync(join(tmpdir(), `simplehttp-${runtime}-crash-`)));
      const incoming = join(base, "incoming");
      mkdirSync(incoming);
      let upload: RawConnection | undefined;
      try {
        const options = { runtime: NAMES[runtime] };
        const first = await startServing(base, ["--quiet", "--upload"], options);
        upload = new RawConnection(first.port);
        const head = requestHead(first.port, "PUT", "/incoming/big.bin", { "Content-Length": String(64 * MIB.length) });
        await upload.write(Buffer.concat([Buffer.from(head), MIB]));
        const ours = `${UPLOAD_TEMP_PREFIX}${first.running.child.pid}-`;
        await until(
          () => tempFiles(incoming).some(({ name, size }) => name.startsWith(ours) && size > 0),
          "the write on disk",
        );
        first.running.child.kill("SIGKILL");
        expect(await withTimeout(first.running.exited, 5000, "the exit after SIGKILL")).toEqual({
          code: null,
          signal: "SIGKILL",
        });
        // Killed, the server removed nothing: its half-written file is there, and nothing at the name.
        expect(listed(incoming).map((name) => name.startsWith(ours))).toEqual([true]);
        const second = await startServing(base, ["--quiet", "--upload"], options);
        await until(() => listed(incoming).length === 0, "the next start removing the temporary file");
        await stop(second.running);
      } finally {
        upload?.close();
        rmSync(base, { recursive: true, force: true });
      }
    });
  });
}
