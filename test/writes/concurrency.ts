/**
 * Many writers of one name at once: each on its own connection, each sending half its body, held
 * there until the server holds all of them mid-body (their temporary files on disk), then all
 * finished together. A create lets exactly one win whole; replaces leave one writer's whole
 * bytes; a reader reading all along only ever reads one whole version.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RawConnection, type RawResponse } from "../support/raw-http.ts";
import { requestHead, responseOn, tempFiles, until } from "./http.ts";
import type { Targets } from "./targets.ts";

const WRITERS = 30;

/** Writer `index`'s body: `size` bytes saying whose they are at every offset, so a mix shows. */
function version(index: number, size: number): Buffer {
  const body = Buffer.alloc(size, index + 1);
  body.write(`writer ${index}\n`);
  return body;
}

/**
 * Sends each of `bodies` as a PUT to `folder.url` on its own connection, half of it first; once
 * the server has a temporary file for every writer in `folder.disk`, sends the other halves
 * together, and answers the responses in the writers' order.
 */
async function racingPuts(
  port: number,
  folder: { url: string; disk: string },
  bodies: readonly Buffer[],
  headers: Record<string, string>,
): Promise<RawResponse[]> {
  const writers = bodies.map((body) => ({
    connection: new RawConnection(port),
    head: requestHead(port, "PUT", folder.url, { "Content-Length": String(body.length), ...headers }),
    halves: [body.subarray(0, body.length / 2), body.subarray(body.length / 2)] as const,
  }));
  try {
    await Promise.all(
      writers.map(({ connection, head, halves }) => connection.write(Buffer.concat([Buffer.from(head), halves[0]]))),
    );
    await until(() => tempFiles(folder.disk).length === bodies.length, `${bodies.length} writers mid-body at once`);
    await Promise.all(writers.map(({ connection, halves }) => connection.write(halves[1])));
    return await Promise.all(writers.map(({ connection }) => responseOn(connection, 20_000)));
  } finally {
    for (const { connection } of writers) connection.close();
  }
}

export function concurrencyCases(targets: Targets): void {
  describe("concurrent writers of one name", () => {
    const creates = `${WRITERS} creates with If-None-Match: * at once: one 201, the rest 412, the winner's bytes whole`;
    it(creates, async () => {
      const at = targets();
      const bodies = Array.from({ length: WRITERS }, (_, index) => version(index, 256 * 1024));
      const folder = { url: "/race/created.bin", disk: `${at.root}/race` };
      const responses = await racingPuts(at.createOnly.port, folder, bodies, { "If-None-Match": "*" });
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(WRITERS - 1);
      const winner = statuses.indexOf(201);
      expect(readFileSync(`${at.root}/race/created.bin`).equals(bodies[winner] ?? Buffer.alloc(0))).toBe(true);
      await until(() => tempFiles(folder.disk).length === 0, "the losers' temporary files gone");
    });

    const replaces = `${WRITERS} replaces at once, a reader all along: one writer's bytes whole, every read whole`;
    it(replaces, async () => {
      const at = targets();
      const size = 1024 * 1024;
      const first = version(WRITERS, size);
      writeFileSync(`${at.root}/race/replaced.bin`, first);
      const bodies = Array.from({ length: WRITERS }, (_, index) => version(index, size));
      const versions = [first, ...bodies];
      let writing = true;
      const reads: number[] = [];
      const read = async (): Promise<void> => {
        const response = await fetch(`${at.full.url}race/replaced.bin`, { signal: AbortSignal.timeout(10_000) });
        const body = Buffer.from(await response.arrayBuffer());
        expect(response.status).toBe(200);
        const which = versions.findIndex((each) => each.equals(body));
        expect(
          which,
          `a read of ${body.length} bytes, from ${JSON.stringify(body.subarray(0, 10).toString())}`,
        ).not.toBe(-1);
        reads.push(which);
      };
      const reader = (async () => {
        while (writing) await read();
      })();
      const folder = { url: "/race/replaced.bin", disk: `${at.root}/race` };
      try {
        const responses = await racingPuts(at.full.port, folder, bodies, {});
        expect(responses.map((response) => response.status)).toEqual(bodies.map(() => 204));
      } finally {
        writing = false;
        await reader;
      }
      await read();
      const stored = readFileSync(`${at.root}/race/replaced.bin`);
      expect(bodies.some((body) => body.equals(stored))).toBe(true);
      // The reader read before the replaces (the first version) and after them (the one stored).
      expect(reads[0]).toBe(0);
      expect(versions[reads.at(-1) ?? 0]?.equals(stored)).toBe(true);
      expect(tempFiles(folder.disk)).toEqual([]);
    });
  });
}
