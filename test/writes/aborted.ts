/**
 * Uploads that do not end as they said: a client gone mid-body (with a Content-Length, or chunked),
 * a chunked body past the upload cap, a Content-Length past it. Each leaves nothing at the name
 * and no temporary file (the folder is listed on disk), and the server answers the next request.
 * A cut is made only once the server's temporary file holds bytes: the write had begun.
 */
import { describe, expect, it } from "vitest";
import { RawConnection } from "../support/raw-http.ts";
import { chunk, listed, requestHead, responseOn, send, sendWhole, tempFiles, until } from "./http.ts";
import { expectServing, MAX_UPLOAD, type Targets } from "./targets.ts";

const HALF_MIB = Buffer.alloc(512 * 1024, "h");

/** Sends `head` and `first` on a new connection, waits until the write is on disk in `dir`, then cuts it. */
async function cutMidBody(port: number, head: string, first: Buffer, dir: string): Promise<void> {
  const connection = new RawConnection(port);
  try {
    await connection.write(Buffer.concat([Buffer.from(head), first]));
    await until(() => tempFiles(dir).some(({ size }) => size > 0), "the server writing the body");
  } finally {
    connection.close();
  }
}

export function abortedUploadCases(targets: Targets): void {
  describe("uploads cut off, and over the cap", () => {
    it("a client gone after half its Content-Length leaves nothing: no file, no temporary file", async () => {
      const at = targets();
      const dir = `${at.root}/aborted`;
      const head = requestHead(at.full.port, "PUT", "/aborted/half.bin", {
        "Content-Length": String(2 * HALF_MIB.length),
      });
      await cutMidBody(at.full.port, head, HALF_MIB, dir);
      await until(() => listed(dir).length === 0, "the folder empty again");
      await expectServing(at.full);
    });

    it("a client gone in the middle of a chunked body leaves nothing: no file, no temporary file", async () => {
      const at = targets();
      const dir = `${at.root}/aborted`;
      const head = requestHead(at.full.port, "PUT", "/aborted/chunked.bin", { "Transfer-Encoding": "chunked" });
      // A chunk announced whole but sent in half, after a whole one: cut inside a chunk.
      const cut = Buffer.concat([
        chunk(HALF_MIB),
        Buffer.from(`${HALF_MIB.length.toString(16)}\r\n`),
        HALF_MIB.subarray(1000),
      ]);
      await cutMidBody(at.full.port, head, cut, dir);
      await until(() => listed(dir).length === 0, "the folder empty again");
      await expectServing(at.full);
    });

    it("a chunked body past maxUploadSize is a 413, and leaves nothing", async () => {
      const at = targets();
      const head = requestHead(at.full.port, "PUT", "/aborted/chunked-big.bin", {
        "Transfer-Encoding": "chunked",
        Connection: "close",
      });
      const response = await sendWhole(at.full.port, head, Buffer.alloc(MAX_UPLOAD + 1024 * 1024, "b"), true);
      expect(response.status).toBe(413);
      await until(() => listed(`${at.root}/aborted`).length === 0, "the folder empty again");
      await expectServing(at.full);
    });

    it("a body of exactly maxUploadSize is stored: the cap is the size, not a byte less", async () => {
      const at = targets();
      const head = requestHead(at.full.port, "PUT", "/aborted/at-the-cap.bin", {
        "Transfer-Encoding": "chunked",
        Connection: "close",
      });
      const response = await sendWhole(at.full.port, head, Buffer.alloc(MAX_UPLOAD, "c"), true);
      expect(response.status).toBe(201);
      expect(listed(`${at.root}/aborted`)).toEqual(["at-the-cap.bin"]);
      expect((await send(at.full.port, "DELETE", "/aborted/at-the-cap.bin")).status).toBe(204);
    });

    it("a Content-Length past maxUploadSize is a 413 answered before a byte of the body is sent", async () => {
      const at = targets();
      const connection = new RawConnection(at.full.port);
      try {
        const length = String(MAX_UPLOAD + 1);
        await connection.write(
          requestHead(at.full.port, "PUT", "/aborted/declared-big.bin", { "Content-Length": length }),
        );
        // Only the head was sent: an answer means the server did not wait for the body.
        const response = await responseOn(connection, 5000);
        expect(response.status).toBe(413);
        expect(response.body.toString()).toContain(`at most ${MAX_UPLOAD} bytes`);
      } finally {
        connection.close();
      }
      expect(listed(`${at.root}/aborted`)).toEqual([]);
      await expectServing(at.full);
    });
  });
}
