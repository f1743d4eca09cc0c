/**
 * Large file bodies on Node (file-body.ts): the deferred NodeFileBody any web consumer can read or
 * cancel, and the path serve() takes instead, sendFileBody with its pool of large buffers. Real
 * files, real sockets; descriptors are counted in this process's /proc/self/fd (Linux).
 */
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHandler, type FileStat, type Handler } from "@simplehttp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformSkip } from "../../../test/setup/skip-reporter.ts";
import { descriptors } from "../../../test/support/proc.ts";
import { parseResponse } from "../../../test/support/raw-http.ts";
import { FileCursor, NodeFileBody } from "../src/file-body.js";
import { nodeFileSystem, type RunningServer, serve } from "../src/index.js";
import { BufferPool, sendFileBody } from "../src/send-file.js";
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

const HAS_PROC = existsSync("/proc/self/fd");
const NO_PROC = platformSkip("no /proc: descriptors are counted in /proc/self/fd (Linux)");
const MIB = randomBytes(1024 * 1024);
const THREE_MIB = randomBytes(3 * 1024 * 1024);
const EIGHT_MIB = randomBytes(8 * 1024 * 1024);

let dir = "";
const file = (name: string): string => join(dir, name);

beforeAll(() => {
  // Real path, as /proc names the files: the temporary directory may be reached through a symlink.
  dir = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-file-body-")));
  writeFileSync(file("mib.bin"), MIB);
  writeFileSync(file("three.bin"), THREE_MIB);
  writeFileSync(file("pool.bin"), THREE_MIB);
  writeFileSync(file("gone.bin"), MIB);
  writeFileSync(file("a.txt"), "hello\n");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Descriptors this process holds open on `path`. */
const openOn = (path: string): number => descriptors(process.pid, path).onPath;

describe("NodeFileBody read as a web stream (createHandler + nodeFileSystem, no serve())", () => {
  let handler: Handler;
  beforeAll(() => {
    handler = createHandler({ fs: nodeFileSystem(dir) });
  });
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    handler(new Request(new URL(path, "http://localhost"), { headers }));
  const streamOf = (response: Response): ReadableStream<Uint8Array> => {
    expect(response.headers.get("content-length")).not.toBeNull(); // a sized body, streamed: the large-file path
    if (response.body === null) throw new Error("no body");
    return response.body;
  };

  it("reads a 1 MiB body byte-exact, and closes the file at its end", async () => {
    const response = await get("/mib.bin");
    expect(response.status).toBe(200);
    expect(Buffer.from(await new Response(streamOf(response)).arrayBuffer()).equals(MIB)).toBe(true);
    if (HAS_PROC) await waitUntil(() => openOn(file("mib.bin")) === 0, "mib.bin closed after its last byte");
  });

  it("reads a 300 KiB range (206) byte-exact", async () => {
    const [start, end] = [100_000, 100_000 + 300 * 1024 - 1];
    const response = await get("/mib.bin", { range: `bytes=${start}-${end}` });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes ${start}-${end}/${MIB.length}`);
    expect(Buffer.from(await new Response(streamOf(response)).arrayBuffer()).equals(MIB.subarray(start, end + 1))).toBe(
      true,
    );
  });

  it("closes the file when the body is cancelled after its first chunk", async (ctx) => {
    ctx.skip(!HAS_PROC, NO_PROC);
    await waitUntil(() => openOn(file("mib.bin")) === 0, "no descriptor left by an earlier case");
    const reader = streamOf(await get("/mib.bin")).getReader();
    const first = await reader.read();
    expect(first.value?.length).toBeGreaterThan(0);
    expect(openOn(file("mib.bin"))).toBe(1); // open while the rest is unread: the count below means something
    await reader.cancel();
    await waitUntil(() => openOn(file("mib.bin")) === 0, "mib.bin closed after the cancel");
  });

  it("closes the file when the body is cancelled before any read", async (ctx) => {
    ctx.skip(!HAS_PROC, NO_PROC);
    await waitUntil(() => openOn(file("mib.bin")) === 0, "no descriptor left by an earlier case");
    const body = streamOf(await get("/mib.bin"));
    expect(openOn(file("mib.bin"))).toBe(1);
    await body.cancel();
    await waitUntil(() => openOn(file("mib.bin")) === 0, "mib.bin closed after the cancel");
  });
});

describe("NodeFileBody is claimed once", () => {
  it("refuses a second stream() and a stream() after take(); cancel() then leaves the taker's file alone", async () => {
    const streamed = new NodeFileBody(openSync(file("a.txt"), "r"), 0, 5);
    expect(Buffer.from(await new Response(streamed.stream()).arrayBuffer()).toString()).toBe("hello\n");
    expect(() => streamed.stream()).toThrow(TypeError);

    const taken = new NodeFileBody(openSync(file("a.txt"), "r"), 0, 5);
    const cursor = taken.take();
    expect(cursor).toBeDefined();
    expect(() => taken.stream()).toThrow(TypeError);
    taken.cancel(); // not the taker's to close
    expect(cursor?.released).toBe(false);
    cursor?.release();
  });
});

describe("nodeFileSystem: stat() opens a regular file once, for the read() that follows", () => {
  it("reads the file stat() saw, even when another is renamed over it in between", async () => {
    const fs = nodeFileSystem(dir);
    writeFileSync(file("swap.txt"), "first version\n");
    const stat = await fs.stat("swap.txt");
    writeFileSync(file("swap.new"), "the second, longer version\n");
    renameSync(file("swap.new"), file("swap.txt"));
    const body = await fs.read("swap.txt", { start: 0, end: (stat?.size ?? 0) - 1 }, stat ?? undefined);
    expect(Buffer.from(body as Uint8Array).toString()).toBe("first version\n");
    // The next request stats afresh and sees the new file.
    expect((await fs.stat("swap.txt"))?.size).toBe("the second, longer version\n".length);
  });

  it("gives two requests for one path at once each the file its own stat() saw", async () => {
    // Held by path, the second stat's open replaced the first's, and the first request sent the
    // newer file's bytes under the older file's validators.
    const fs = nodeFileSystem(dir);
    writeFileSync(file("both.txt"), "older\n");
    const older = await fs.stat("both.txt");
    writeFileSync(file("both.new"), "the newer one\n");
    renameSync(file("both.new"), file("both.txt"));
    const newer = await fs.stat("both.txt");
    const text = async (stat: FileStat | null) =>
      Buffer.from(
        (await fs.read("both.txt", { start: 0, end: (stat?.size ?? 0) - 1 }, stat ?? undefined)) as Uint8Array,
      );
    expect((await text(older)).toString()).toBe("older\n");
    expect((await text(newer)).toString()).toBe("the newer one\n");
  });

  it("refuses a small file that shrank between stat() and read() with EAGAIN, never a short body", async () => {
    const fs = nodeFileSystem(dir);
    writeFileSync(file("shrink.txt"), "0123456789");
    const stat = await fs.stat("shrink.txt");
    truncateSync(file("shrink.txt"), 4);
    await expect(
      fs.read("shrink.txt", { start: 0, end: (stat?.size ?? 0) - 1 }, stat ?? undefined),
    ).rejects.toMatchObject({
      code: "EAGAIN",
    });
  });

  it("closes a descriptor stat() kept and no read() took, once the event loop turns", async (ctx) => {
    ctx.skip(!HAS_PROC, NO_PROC);
    const fs = nodeFileSystem(dir);
    await fs.stat("a.txt");
    expect(openOn(file("a.txt"))).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(openOn(file("a.txt"))).toBe(0);
  });
});

describe("serve(): large files sent by sendFileBody", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({ root: dir, port: 0, hostname: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("sends a 3 MiB file byte-exact to 10 clients at once, 3 of them reading slowly", async () => {
    const readings: Reading[] = ["slow", "slow", "slow", ...Array.from({ length: 7 }, (): Reading => "fast")];
    const bodies = await Promise.all(
      readings.map((reading) => download(server.port, "/three.bin", reading, 20_000).closed),
    );
    for (const raw of bodies) expectWhole(parseResponse(raw), THREE_MIB);
  });

  it("cuts the connection short of Content-Length when the file is truncated mid-send; serves the next", async () => {
    writeFileSync(file("eight.bin"), EIGHT_MIB);
    const cut = download(server.port, "/eight.bin", "pause-after-first", 10_000);
    await cut.firstData; // the client now reads nothing: the server's writes back up mid-file
    truncateSync(file("eight.bin"), 1024 * 1024);
    cut.socket.resume();
    const response = parseResponse(await cut.closed);
    expect(response.status).toBe(200);
    expect(response.headers["content-length"]).toBe(String(EIGHT_MIB.length));
    expect(response.body.length).toBeLessThan(EIGHT_MIB.length);
    expect(response.body.equals(EIGHT_MIB.subarray(0, response.body.length))).toBe(true); // short, never wrong
    if (HAS_PROC) await waitUntil(() => openOn(file("eight.bin")) === 0, "eight.bin closed after the cut");

    expect(parseResponse(await download(server.port, "/a.txt").closed).body.toString()).toBe("hello\n");
    expectWhole(parseResponse(await download(server.port, "/three.bin").closed), THREE_MIB);
  });

  it("cuts the connection of a multipart body whose file shrinks mid-send, not keeping it for the next", async () => {
    writeFileSync(file("eight.bin"), EIGHT_MIB);
    // Several ranges make a multipart body, which goes through the web stream, not sendFileBody.
    const kept = download(server.port, "/eight.bin", "pause-after-first", 10_000, { range: "bytes=0-10,100-8000000" });
    await kept.firstData;
    truncateSync(file("eight.bin"), 1024 * 1024);
    kept.socket.resume();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The same keep-alive connection's next request: had the short body ended as if whole, this
    // response would arrive where the client still expects the rest of the first body.
    if (!kept.socket.destroyed) kept.socket.write("GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const response = parseResponse(await kept.closed); // its body: what came, up to Content-Length
    expect(response.status).toBe(206);
    expect(response.headers["content-type"]).toMatch(/^multipart\/byteranges; boundary=/);
    expect(response.body.length).toBeLessThan(Number(response.headers["content-length"]));
    expect(response.body.includes("HTTP/1.1 200")).toBe(false);
    const partHead = `Content-Range: bytes 100-8000000/${EIGHT_MIB.length}\r\n\r\n`;
    expect(response.body.indexOf(partHead)).toBeGreaterThan(0);
    const part = response.body.subarray(response.body.indexOf(partHead) + partHead.length);
    expect(part.equals(EIGHT_MIB.subarray(100, 100 + part.length))).toBe(true); // short, never wrong
    if (HAS_PROC) await waitUntil(() => openOn(file("eight.bin")) === 0, "eight.bin closed after the cut");
    expect(parseResponse(await download(server.port, "/a.txt").closed).body.toString()).toBe("hello\n");
  });
});

describe("sendFileBody with a pool of two 64 KiB buffers, on a bare node:http server", () => {
  const POOL = { own: 4096, pooled: 65536, poolSize: 2, wholeBudget: 65536 };
  const pool = new BufferPool(POOL);
  // Counts the pooled buffers dropped by a download cut mid-read or mid-write, so the case below
  // knows the aborts did reach the pool.
  let forgotten = 0;
  const forget = pool.forget.bind(pool);
  pool.forget = (): void => {
    forgotten++;
    forget();
  };
  let server: BareServer;
  let port: number;
  beforeAll(async () => {
    server = await listenBare((_request, response) => {
      const fd = openSync(file("pool.bin"), "r");
      response.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": String(THREE_MIB.length),
      });
      sendFileBody(response, new FileCursor(fd, 0, THREE_MIB.length - 1), pool);
    });
    port = server.port;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("still lends all its buffers after 20 downloads aborted mid-body; the next one is byte-exact", async (ctx) => {
    ctx.skip(!HAS_PROC, NO_PROC);
    const aborted = await Promise.all(
      Array.from({ length: 20 }, () => download(port, "/pool.bin", "abort-after-first").closed),
    );
    for (const raw of aborted) expect(parseResponse(raw).body.length).toBeLessThan(THREE_MIB.length); // mid-body indeed
    // Settled: every download has let its file go, which happens in the same step as its buffers.
    await waitUntil(() => openOn(file("pool.bin")) === 0, "pool.bin closed by every aborted download");
    expect(forgotten).toBeGreaterThan(0);

    const lent = Array.from({ length: POOL.poolSize }, () => pool.borrow());
    for (const buffer of lent) {
      expect(buffer).toBeInstanceOf(Buffer);
      expect(buffer?.length).toBe(POOL.pooled);
    }
    for (const buffer of lent) if (buffer) pool.giveBack(buffer);

    expectWhole(parseResponse(await download(port, "/pool.bin").closed), THREE_MIB);
    await waitUntil(() => openOn(file("pool.bin")) === 0, "pool.bin closed after a whole download");
  });
});

describe("sendFileBody handed a response whose client has already left, on a bare node:http server", () => {
  const pool = new BufferPool({ own: 4096, pooled: 65536, poolSize: 2, wholeBudget: 65536 });
  let server: Awaited<ReturnType<typeof listenSendingAfterLeave>>;
  beforeAll(async () => {
    server = await listenSendingAfterLeave((response) => {
      const cursor = new NodeFileBody(openSync(file("gone.bin"), "r"), 0, MIB.length - 1).take();
      if (cursor === undefined) throw new Error("a fresh NodeFileBody refused take()");
      response.writeHead(200, { "content-length": String(MIB.length) });
      sendFileBody(response, cursor, pool);
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("keeps the buffer pool whole after downloads whose client left before they started", async () => {
    await leaveAtConnect(server, "/gone.bin", 3);
    if (HAS_PROC) await waitUntil(() => openOn(file("gone.bin")) === 0, "gone.bin closed for every download");
    const lent = [pool.borrow(), pool.borrow()];
    for (const buffer of lent) expect(buffer).toBeInstanceOf(Buffer);
    for (const buffer of lent) if (buffer) pool.giveBack(buffer);
  });
});
