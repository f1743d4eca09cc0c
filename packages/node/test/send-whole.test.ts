/**
 * Bodies from 16 KiB to 256 KiB on Node: read whole into a buffer of their own while the server's
 * budget has room (send-file.ts), sent in turns past it, and the budget given back whatever ends
 * the download. Real files, real sockets.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, openSync, realpathSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { descriptors } from "../../../test/support/proc.ts";
import { parseResponse } from "../../../test/support/raw-http.ts";
import { FileCursor, NodeFileBody } from "../src/file-body.js";
import { type RunningServer, serve } from "../src/index.js";
import { BufferPool, type SendBuffers, sendFileBody } from "../src/send-file.js";
import {
  type BareServer,
  download,
  expectWhole,
  leaveAtConnect,
  listenBare,
  listenSendingAfterLeave,
  type Reading,
  waitUntil,
} from "./downloads.ts";

const KIB = 1024;
// The edges of the path: the first size counted against the budget, the last read whole, and the
// first sent in turns.
const BODIES = new Map([16 * KIB, 64 * KIB, 256 * KIB, 256 * KIB + 1].map((size) => [size, randomBytes(size)]));
const MID = randomBytes(200 * KIB);

const HAS_PROC = existsSync("/proc/self/fd");
/** Descriptors this process holds open on `path` (0 where there is no /proc to count them in). */
const openOn = (path: string): number => (HAS_PROC ? descriptors(process.pid, path).onPath : 0);

let dir = "";
const file = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-send-whole-")));
  for (const [size, bytes] of BODIES) writeFileSync(file(`${size}.bin`), bytes);
  writeFileSync(file("mid.bin"), MID);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A pool whose budget calls are counted: how many buffers it lent whole, and how many it refused. */
function countedPool(config: SendBuffers): { pool: BufferPool; lent: () => number; refused: () => number } {
  const pool = new BufferPool(config);
  const take = pool.takeWhole.bind(pool);
  let [lent, refused] = [0, 0];
  pool.takeWhole = (size: number): Buffer | undefined => {
    const buffer = take(size);
    if (buffer) lent++;
    else refused++;
    return buffer;
  };
  return { pool, lent: () => lent, refused: () => refused };
}

/** Whether the whole budget is free again: a buffer of all of it is lent (and at once given back). */
function budgetWhole(pool: BufferPool): boolean {
  const buffer = pool.takeWhole(pool.config.wholeBudget);
  if (buffer) pool.releaseWhole(buffer.length);
  return buffer !== undefined;
}

describe("BufferPool's budget of bodies read whole", () => {
  it("lends buffers of their own while the budget has room, and again once their bytes come back", () => {
    const pool = new BufferPool({ own: 4 * KIB, pooled: 64 * KIB, poolSize: 1, wholeBudget: 300 * KIB });
    const first = pool.takeWhole(200 * KIB);
    expect(first?.length).toBe(200 * KIB);
    expect(pool.takeWhole(200 * KIB)).toBeUndefined();
    const second = pool.takeWhole(100 * KIB);
    expect(second?.length).toBe(100 * KIB);
    expect(second?.buffer).not.toBe(first?.buffer); // its own, not a slice of a shared one
    expect(pool.takeWhole(1)).toBeUndefined();
    pool.releaseWhole(200 * KIB);
    expect(pool.takeWhole(200 * KIB)?.length).toBe(200 * KIB);
  });
});

describe("serve(): bodies at the edges of the read-whole path", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({ root: dir, port: 0, hostname: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const [size, bytes] of BODIES) {
    it(`sends a ${size}-byte file byte-exact to 20 clients at once, 5 of them reading slowly`, async () => {
      const readings: Reading[] = Array.from({ length: 20 }, (_, i): Reading => (i < 5 ? "slow" : "fast"));
      const bodies = await Promise.all(
        readings.map((reading) => download(server.port, `/${size}.bin`, reading, 20_000).closed),
      );
      for (const raw of bodies) expectWhole(parseResponse(raw), bytes);
    });
  }
});

describe("sendFileBody with a budget of 300 KiB, on a bare node:http server", () => {
  const counted = countedPool({ own: 4 * KIB, pooled: 64 * KIB, poolSize: 2, wholeBudget: 300 * KIB });
  let shrinkFirst = false;
  // Requests held back until this many have come, then all sent in one turn, as serve() sends a
  // turn's answers: no write has reached the kernel yet, so the budget is as full as it gets.
  let batch = 1;
  let held: (() => void)[] = [];
  let server: BareServer;
  beforeAll(async () => {
    server = await listenBare((_request, response) => {
      const fd = openSync(file("mid.bin"), "r");
      if (shrinkFirst) truncateSync(file("mid.bin"), 100 * KIB);
      response.writeHead(200, { "content-length": String(MID.length) });
      held.push(() => sendFileBody(response, new FileCursor(fd, 0, MID.length - 1), counted.pool));
      if (held.length < batch) return;
      for (const send of held) send();
      held = [];
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("reads one of a turn's six 200 KiB bodies whole, the five past the budget in turns, all byte-exact", async () => {
    const [lentBefore, refusedBefore] = [counted.lent(), counted.refused()];
    batch = 6;
    try {
      const readings = Array.from({ length: 6 }, (_, i): Reading => (i % 2 ? "slow" : "fast"));
      const downloads = readings.map((reading) => download(server.port, "/mid.bin", reading));
      for (const raw of await Promise.all(downloads.map(({ closed }) => closed))) expectWhole(parseResponse(raw), MID);
    } finally {
      batch = 1;
    }
    expect(counted.lent() - lentBefore).toBe(1);
    expect(counted.refused() - refusedBefore).toBe(5);
    await waitUntil(() => budgetWhole(counted.pool), "the budget whole again");
  });

  it("gives the budget back after 20 downloads aborted at their first bytes", async () => {
    const aborted = Array.from({ length: 20 }, () => download(server.port, "/mid.bin", "abort-after-first").closed);
    for (const raw of await Promise.all(aborted)) expect(parseResponse(raw).body.length).toBeLessThan(MID.length);
    await waitUntil(() => budgetWhole(counted.pool), "the budget whole again after the aborts");
    await waitUntil(() => openOn(file("mid.bin")) === 0, "mid.bin closed by every aborted download");
  });

  it("cuts the connection of a body whose file shrank before its read, and gives the budget back", async () => {
    shrinkFirst = true;
    try {
      // Cut before the head went out: the client sees the connection close, never a short body as whole.
      expect((await download(server.port, "/mid.bin").closed).length).toBe(0);
    } finally {
      shrinkFirst = false;
      writeFileSync(file("mid.bin"), MID);
    }
    await waitUntil(() => budgetWhole(counted.pool), "the budget whole again after the cut");
  });
});

describe("sendFileBody for a 200 KiB body whose client left before it started", () => {
  const counted = countedPool({ own: 4 * KIB, pooled: 64 * KIB, poolSize: 2, wholeBudget: 300 * KIB });
  let server: Awaited<ReturnType<typeof listenSendingAfterLeave>>;
  beforeAll(async () => {
    server = await listenSendingAfterLeave((response) => {
      const cursor = new NodeFileBody(openSync(file("mid.bin"), "r"), 0, MID.length - 1).take();
      if (cursor === undefined) throw new Error("a fresh NodeFileBody refused take()");
      response.writeHead(200, { "content-length": String(MID.length) });
      sendFileBody(response, cursor, counted.pool);
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("took the budget and gave it back at once", async () => {
    await leaveAtConnect(server, "/mid.bin", 3);
    expect(counted.lent()).toBe(3);
    expect(budgetWhole(counted.pool)).toBe(true);
    expect(openOn(file("mid.bin"))).toBe(0);
  });
});
