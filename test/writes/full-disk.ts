/**
 * A full disk over HTTP: a tmpfs of 1 MiB mounted on the root's `full/` (as root; see
 * test/support/tmpfs.ts), then a PUT of 2 MiB there: 507 Insufficient Storage (RFC 4918 §11.5),
 * nothing left behind, and a file it would have replaced still whole.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSkip } from "../setup/skip-reporter.ts";
import { mountTmpfs, unmount } from "../support/tmpfs.ts";
import { listed, requestHead, send, sendWhole, until } from "./http.ts";
import { expectServing, type Targets } from "./targets.ts";

const TWO_MIB = Buffer.alloc(2 * 1024 * 1024, "f");

export function fullDiskCases(targets: Targets): void {
  describe("on a full disk", () => {
    let refused: string | null = "not mounted yet";
    let full = "";
    beforeAll(() => {
      full = `${targets().root}/full`;
      refused = mountTmpfs(full);
    });
    afterAll(() => {
      if (refused === null) unmount(full);
    });

    it("a PUT of 2 MiB onto 1 MiB of room is a 507, and leaves nothing: no file, no temporary file", async (ctx) => {
      ctx.skip(refused !== null, platformSkip(refused ?? ""));
      const at = targets();
      for (const chunked of [false, true]) {
        const framing: Record<string, string> = chunked
          ? { "Transfer-Encoding": "chunked" }
          : { "Content-Length": String(TWO_MIB.length) };
        const head = requestHead(at.full.port, "PUT", "/full/big.bin", { ...framing, Connection: "close" });
        const response = await sendWhole(at.full.port, head, TWO_MIB, chunked);
        expect(response.status, chunked ? "chunked" : "with a Content-Length").toBe(507);
        await until(() => listed(full).length === 0, "the full folder empty again");
      }
      await expectServing(at.full);
    });

    it("a replace that does not fit is a 507, and the old file stays whole", async (ctx) => {
      ctx.skip(refused !== null, platformSkip(refused ?? ""));
      const at = targets();
      expect((await send(at.full.port, "PUT", "/full/old.txt", "the old version\n")).status).toBe(201);
      const head = requestHead(at.full.port, "PUT", "/full/old.txt", {
        "Content-Length": String(TWO_MIB.length),
        Connection: "close",
      });
      const response = await sendWhole(at.full.port, head, TWO_MIB);
      expect(response.status).toBe(507);
      await until(() => listed(full).length === 1, "only the old file in the full folder");
      expect(listed(full)).toEqual(["old.txt"]);
      expect(readFileSync(`${full}/old.txt`, "utf8")).toBe("the old version\n");
      await expectServing(at.full);
    });
  });
}
