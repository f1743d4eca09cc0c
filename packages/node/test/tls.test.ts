/**
 * @simplehttp/node over HTTPS: HTTP/2 and HTTP/1.1 on one port by ALPN (RFC 7301), the limits on
 * slow clients kept for both, close() ending every connection, and unusable certificates refused
 * with one line. The server runs in this process, with the test certificate (test-certificate.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type ClientHttp2Session, type ClientHttp2Stream, connect as connectH2 } from "node:http2";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import type { AccessLogEntry } from "@simplehttp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet, rawRequest } from "../../../test/support/raw-http.ts";
import { testCertificate, unrelatedKey } from "../../../test/support/test-certificate.ts";
import { H2Client, tlsConnection } from "../../../test/support/tls-clients.ts";
import { TLS_ERROR_CODE, TLS_REFUSAL, unusableTlsCases } from "../../../test/support/tls-launch.ts";
import { type RunningServer, serve } from "../src/index.js";

const BIG_SIZE = 32 * 1024 * 1024; // far more than an HTTP/2 window and socket buffers hold
const bigByte = (i: number): number => (i * 7 + 3) % 256;

let root: string;
let server: RunningServer;
const entries: AccessLogEntry[] = [];
const { cert: ca } = testCertificate();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "simplehttp-node-tls-"));
  writeFileSync(join(root, "hello.txt"), "hello\n");
  writeFileSync(
    join(root, "big.bin"),
    Uint8Array.from({ length: BIG_SIZE }, (_, i) => bigByte(i)),
  );
  server = await serve({
    root,
    port: 0,
    hostname: "127.0.0.1",
    tls: testCertificate(),
    onRequest: (entry) => entries.push(entry),
  });
});

afterAll(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** An HTTP/2 session to the server, resolved once connected (rejected after 5 s). */
function h2Session(): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error("h2Session: not connected within 5000 ms"));
    }, 5000);
    const session = connectH2(server.url, { ca }, () => {
      clearTimeout(timer);
      resolve(session);
    });
    session.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Milliseconds until `emitter` emits `event`, or Infinity if it has not after `timeoutMs`. */
function timeUntil(
  emitter: { once(event: string, listener: () => void): unknown },
  event: string,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Infinity), timeoutMs);
    emitter.once(event, () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

describe("one HTTPS port, HTTP/2 or HTTP/1.1 by ALPN", () => {
  it("gives an https URL, picks h2 for a client that offers it, http/1.1 for one that offers only that", async () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}/`);
    const both = await tlsConnection(server.port, ca, ["h2", "http/1.1"]);
    const h1Only = await tlsConnection(server.port, ca, ["http/1.1"]);
    expect([both.alpnProtocol, h1Only.alpnProtocol]).toEqual(["h2", "http/1.1"]);
    both.destroy();
    h1Only.destroy();
  });

  it("answers the same file alike over HTTP/2 and HTTP/1.1, and logs each with its version", async () => {
    const client = new H2Client(server.url, ca);
    try {
      const response = await client.request("/hello.txt?via=h2");
      const h2 = { headers: response.headers, body: response.body.toString() };
      const h1 = await rawGet(server.port, "/hello.txt?via=h1", {}, { tls: { ca } });
      expect(h2.body).toBe("hello\n");
      expect(h1.body.toString()).toBe("hello\n");
      for (const name of ["content-type", "content-length", "etag", "last-modified", "accept-ranges", "server"]) {
        expect(h2.headers[name], name).toBe(h1.headers[name]);
      }
      // Node's own HTTP/1.1 framing never reaches an HTTP/2 response (RFC 9113 §8.2.2).
      expect(h2.headers.connection).toBeUndefined();
      expect(h2.headers["transfer-encoding"]).toBeUndefined();
    } finally {
      client.close();
    }
    const logged = (target: string) => entries.find((entry) => entry.target === target);
    await expect.poll(() => logged("/hello.txt?via=h2")?.httpVersion).toBe("2.0");
    await expect.poll(() => logged("/hello.txt?via=h1")?.httpVersion).toBe("1.1");
    expect(logged("/hello.txt?via=h2")).toMatchObject({ status: 200, bytes: 6, remoteAddress: "127.0.0.1" });
  });

  it("RFC 9112 §3.2: answers an HTTP/1.1 request without Host with 400 over TLS too", async () => {
    const response = await rawRequest(server.port, "GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n", {
      tls: { ca },
    });
    expect(response.status).toBe(400);
  });

  it("RFC 9113 §6.5.2: lets an HTTP/2 connection open 100 streams at once, not an unbounded number", async () => {
    const session = await h2Session();
    try {
      // Until the server's SETTINGS arrive, Node reports the protocol's default (no limit).
      await expect.poll(() => session.remoteSettings.maxConcurrentStreams, { timeout: 5000 }).toBe(100);
      expect(session.remoteSettings.maxConcurrentStreams).toBe(100);
    } finally {
      session.close();
    }
  });
});

describe("close()", () => {
  it("ends at once an HTTP/2 session, an idle HTTP/1.1 connection, a download and a handshake under way", async () => {
    const own = await serve({ root, port: 0, hostname: "127.0.0.1", tls: testCertificate() });
    const session = connectH2(own.url, { ca });
    session.on("error", () => {});
    const download = session.request({ ":path": "/big.bin" });
    download.on("error", () => {});
    await timeUntil(download, "response", 5000);
    download.pause();
    const idle = connectTls({ host: "127.0.0.1", port: own.port, ca, ALPNProtocols: ["http/1.1"] });
    idle.on("error", () => {});
    await timeUntil(idle, "secureConnect", 5000);
    const handshaking = connectTcp({ host: "127.0.0.1", port: own.port });
    handshaking.on("error", () => {});
    await timeUntil(handshaking, "connect", 5000);

    const closes = [
      timeUntil(session, "close", 5000),
      timeUntil(idle, "close", 5000),
      timeUntil(handshaking, "close", 5000),
    ];
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    for (const took of await Promise.all(closes)) expect(took).toBeLessThan(1000);
  });
});

describe("refusing a certificate or key it cannot use", () => {
  it.each(unusableTlsCases(testCertificate(), unrelatedKey()))(
    "rejects $what with one line and code ERR_SIMPLEHTTP_TLS",
    async ({ tls }) => {
      const refusal = serve({ root, port: 0, hostname: "127.0.0.1", tls });
      await expect(refusal).rejects.toThrow(TLS_REFUSAL);
      await expect(refusal).rejects.toMatchObject({ code: TLS_ERROR_CODE });
    },
  );
});

describe("slow clients over TLS", () => {
  // Node's limits on the plain server are 20 s for a request head (checked every 2 s); serve()
  // keeps them for HTTP/1.1 over TLS, and bounds the TLS handshake and an HTTP/2 session with no
  // request in progress by the same 20 s. Every client below starts at once: one wait covers all.
  // A slow HTTP/2 download is not cut: it has a request in progress.
  it("cuts a dribbled HTTP/1.1 head, a handshake never made and an idle HTTP/2 session after about 20 s", async () => {
    const dribbler = await tlsConnection(server.port, ca, ["http/1.1"]);
    let dribbled = 0;
    let answer = "";
    dribbler.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    dribbler.write("GET /hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    const drip = setInterval(() => dribbler.writable && dribbler.write("a", () => dribbled++), 500);
    const silent = connectTcp({ host: "127.0.0.1", port: server.port });
    silent.on("error", () => {});
    const idle = await h2Session();
    const busy = await h2Session();
    const download: ClientHttp2Stream = busy.request({ ":path": "/big.bin" });
    await timeUntil(download, "response", 5000);
    download.pause(); // the server's window fills: no byte moves either way from here on

    try {
      const [dribblerClosed, silentClosed, idleClosed] = await Promise.all([
        timeUntil(dribbler, "close", 27_000),
        timeUntil(silent, "close", 27_000),
        timeUntil(idle, "close", 27_000),
      ]);
      expect(dribbled).toBeGreaterThan(30); // it kept sending all along
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      for (const took of [dribblerClosed, silentClosed, idleClosed]) {
        expect(took).toBeGreaterThanOrEqual(18_000);
        expect(took).toBeLessThan(25_000);
      }
      // The download still holds its session, and finishes byte-exact once the client reads again.
      expect(busy.closed || busy.destroyed).toBe(false);
      let received = 0;
      let intact = true;
      download.on("data", (chunk: Buffer) => {
        for (let i = 0; i < chunk.length && intact; i += 4099) intact = chunk[i] === bigByte(received + i);
        received += chunk.length;
      });
      download.resume();
      expect(await timeUntil(download, "end", 10_000)).toBeLessThan(10_000);
      expect(received).toBe(BIG_SIZE);
      expect(intact).toBe(true);
    } finally {
      clearInterval(drip);
      for (const socket of [dribbler, silent]) socket.destroy();
      idle.destroy();
      busy.destroy();
    }
  }, 45_000);

  it("closes an idle HTTP/1.1 keep-alive connection over TLS after 5 s, as without TLS", async () => {
    const socket = await tlsConnection(server.port, ca, ["http/1.1"]);
    socket.write("GET /hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    socket.on("data", () => {});
    const took = await timeUntil(socket, "close", 10_000);
    socket.destroy();
    expect(took).toBeGreaterThanOrEqual(4_000);
    expect(took).toBeLessThan(8_000);
  }, 15_000);
});
