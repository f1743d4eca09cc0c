/**
 * A client that leaves mid-download releases the file at once: @simplehttp/node runs in its own
 * process (test/fixture-server.ts), and this test counts that process's /proc/<pid>/fd.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { type ClientHttp2Session, type ClientHttp2Stream, connect as connectH2, constants } from "node:http2";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { platformSkip } from "../../../test/setup/skip-reporter.ts";
import { descriptors, settle, stalledDownload } from "../../../test/support/proc.ts";
import { rawGet } from "../../../test/support/raw-http.ts";
import { type SpawnedServer, spawnServer } from "../../../test/support/spawn-server.ts";
import { testCertificate, tlsEnvironment } from "../../../test/support/test-certificate.ts";

const FIXTURE = fileURLToPath(new URL("./fixture-server.ts", import.meta.url));
// Far more than loopback socket buffers hold, so a stalled download keeps its file open;
// sparse, so it costs no disk.
const HUGE_SIZE = 256 * 1024 * 1024;
const BATCHES = 10;
const PER_BATCH = 10;
// The streamed paths: a whole file, an open-ended range, and a multipart body of large parts.
const REQUESTS: Record<string, string>[] = [
  {},
  { Range: "bytes=1000-" },
  { Range: "bytes=0-99999999,150000000-200000000" },
];

let parent: string;
let huge: string;
let server: SpawnedServer;
let secure: SpawnedServer; // the same, over HTTPS: HTTP/2 streams

/** Starts a download of huge.bin (`copies` of it pipelined in one write) that stalls mid-file. */
function startDownload(port: number, headers: Record<string, string>, copies = 1): Promise<Socket> {
  const lines = [
    "GET /huge.bin HTTP/1.1",
    "Host: 127.0.0.1",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return stalledDownload(port, `${lines.join("\r\n")}\r\n\r\n`.repeat(copies));
}

describe("file descriptors of a Node server in its own process", () => {
  beforeEach((ctx) =>
    ctx.skip(!existsSync("/proc/self/fd"), platformSkip("no /proc: descriptors are counted in /proc/PID/fd (Linux)")),
  );
  beforeAll(async () => {
    parent = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-node-fd-"))); // as /proc names it
    writeFileSync(join(parent, "a.txt"), "hello\n");
    huge = join(parent, "huge.bin");
    const fd = openSync(huge, "w");
    ftruncateSync(fd, HUGE_SIZE);
    closeSync(fd);
    [server, secure] = await Promise.all([
      spawnServer(process.execPath, ["--import", "tsx", FIXTURE, parent]),
      spawnServer(process.execPath, ["--import", "tsx", FIXTURE, parent], {
        env: { ...process.env, ...tlsEnvironment() },
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), secure?.stop()]);
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it(`${BATCHES * PER_BATCH} downloads of a 256 MiB file aborted mid-body put the descriptors back`, async () => {
    // Warm up every path once (threads, lazily opened descriptors), then take the baseline.
    expect((await rawGet(server.port, "/a.txt")).status).toBe(200);
    for (const socket of await Promise.all(REQUESTS.map((headers) => startDownload(server.port, headers))))
      socket.destroy();
    await settle(() => descriptors(server.pid, huge).onPath === 0);
    const baseline = descriptors(server.pid, huge).total;

    for (let batch = 0; batch < BATCHES; batch++) {
      const sockets = await Promise.all(
        Array.from({ length: PER_BATCH }, (_, i) =>
          startDownload(server.port, REQUESTS[(batch * PER_BATCH + i) % REQUESTS.length] ?? {}),
        ),
      );
      // Every stalled download holds the file open: the count below is not vacuous.
      expect(descriptors(server.pid, huge).onPath).toBe(PER_BATCH);
      for (const socket of sockets) socket.destroy();
    }

    await settle(() => {
      const now = descriptors(server.pid, huge);
      return now.onPath === 0 && now.total <= baseline;
    });
    expect((await rawGet(server.port, "/a.txt")).status).toBe(200);
  });

  // RFC 9112 §9.3.2: Node queues the answers to pipelined requests behind the one being sent, with
  // no socket, and tells them nothing when the connection drops.
  it("a client that leaves with downloads pipelined behind a stalled one releases every file", async () => {
    const sockets = await Promise.all(Array.from({ length: 5 }, () => startDownload(server.port, {}, 3)));
    // The first download of each connection stalls with its file open; the two behind it wait their turn.
    await settle(() => descriptors(server.pid, huge).onPath >= 5);
    for (const socket of sockets) socket.destroy();
    await settle(() => descriptors(server.pid, huge).onPath === 0);
    expect((await rawGet(server.port, "/a.txt")).status).toBe(200);
  });

  // HTTP/2 (RFC 9113): a client leaves a download by resetting its stream (RST_STREAM), and many
  // downloads share one connection, which may drop with all of them in flight.
  it("HTTP/2 downloads stalled by flow control release their files on a stream reset, and a session drop", async () => {
    const streams = async (session: ClientHttp2Session): Promise<ClientHttp2Stream[]> => {
      const opened = Array.from({ length: PER_BATCH }, (_, i) => {
        const range = REQUESTS[i % REQUESTS.length]?.Range;
        const stream = session.request({ ":path": "/huge.bin", ...(range ? { range } : {}) });
        stream.on("error", () => {});
        return stream;
      });
      await Promise.all(opened.map((stream) => new Promise((resolve) => stream.once("response", resolve))));
      for (const stream of opened) stream.pause(); // the client's windows fill: each server read stays mid-file
      return opened;
    };
    const session = (): ClientHttp2Session =>
      connectH2(`https://127.0.0.1:${secure.port}`, { ca: testCertificate().cert }).on("error", () => {});

    const resetting = session();
    const stalled = await streams(resetting);
    expect(descriptors(secure.pid, huge).onPath).toBe(PER_BATCH); // each stalled stream holds its file
    for (const stream of stalled) stream.close(constants.NGHTTP2_CANCEL);
    await settle(() => descriptors(secure.pid, huge).onPath === 0);

    const dropped = session();
    await streams(dropped);
    expect(descriptors(secure.pid, huge).onPath).toBe(PER_BATCH);
    dropped.destroy();
    await settle(() => descriptors(secure.pid, huge).onPath === 0);
    resetting.destroy();
  });
});
