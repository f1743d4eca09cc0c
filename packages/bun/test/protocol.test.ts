/**
 * @simplehttp/bun at the edge of HTTP/1.1 framing (issue 11): chunked request bodies, unknown
 * methods, malformed request lines. Each case runs over a raw socket and counts the responses
 * written on the connection. What Bun refuses below any handler is shown on a bare Bun.serve
 * (fixture-bare.ts) too: those tests pin the runtime's behaviour, and fail when Bun changes it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUN, type SpawnedServer, spawnServer } from "../../../test/support/spawn-server.ts";
import { exchange, responsesIn } from "./raw-exchange.js";

const SERVER_SCRIPT = fileURLToPath(new URL("./fixture-server.ts", import.meta.url));
const BARE_SCRIPT = fileURLToPath(new URL("./fixture-bare.ts", import.meta.url));
// Bun's own answers, written before any handler runs: a status line and `Connection: close`.
const BUN_400 = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";
const BUN_505 = "HTTP/1.1 505 HTTP Version Not Supported\r\nConnection: close\r\n\r\n";
const TEXT = "hello\n";
// Far more than socket buffers hold, so that part of it is still in Bun when a client reads late.
const BIG_SIZE = 16 * 1024 * 1024;

let root: string;
let ours: SpawnedServer;
let bare: SpawnedServer;
let stdout = ""; // the fixture server's: a JSON line `{ log: entry }` per request answered

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "simplehttp-bun-protocol-"));
  writeFileSync(join(root, "hello.txt"), TEXT);
  writeFileSync(join(root, "café.txt"), "café\n");
  writeFileSync(join(root, "big.bin"), Buffer.alloc(BIG_SIZE));
  [ours, bare] = await Promise.all([spawnServer(BUN, [SERVER_SCRIPT, root]), spawnServer(BUN, [BARE_SCRIPT])]);
  ours.child.stdout?.on("data", (text: string) => (stdout += text));
});

afterAll(async () => {
  await Promise.all([ours?.stop(), bare?.stop()]);
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Bytes exactly as written, one per character (`\xc3\xa9` is é in UTF-8). */
const bytes = (text: string): Buffer => Buffer.from(text, "latin1");
const chunkedHead = (method: string, target = "/hello.txt"): string =>
  `${method} ${target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`;
const MALFORMED = { "a chunk size that is not hex": "zz\r\n", "a chunk size past 64 bits": "ffffffffffffffffff\r\n" };
const WELL_FORMED = "3\r\nabc\r\n0\r\n\r\n";

describe("a chunked request body: one response at most, then the connection closes", () => {
  // Bun parses a chunked body only after the handler has answered, and answers a malformed one
  // with its own 400: the adapter waits for Bun to parse what it has, and closes after answering.
  for (const method of ["GET", "HEAD", "POST"]) {
    for (const [what, body] of Object.entries(MALFORMED)) {
      it(`a ${method} with ${what} gets only Bun's 400, and the connection closes`, async () => {
        const { raw, closed } = await exchange(ours.port, [bytes(chunkedHead(method) + body)]);
        expect(raw.toString("latin1")).toBe(BUN_400);
        expect(closed).toBe(true);
      });
    }
  }

  it("a GET or HEAD with a well-formed chunked body gets one 400 with Connection: close, and is closed", async () => {
    // Served, a file would still be on its way while Bun parses the rest of the body, and Bun
    // writes its 400 for a bad chunk into the middle of it (see the last test of this block).
    for (const method of ["GET", "HEAD"]) {
      const { raw, closed } = await exchange(ours.port, [bytes(chunkedHead(method) + WELL_FORMED)]);
      expect(
        responsesIn(raw, method === "HEAD").map((response) => [response.status, response.headers.connection]),
        method,
      ).toEqual([[400, "close"]]);
      expect(closed, method).toBe(true);
    }
  });

  it("a POST with a well-formed chunked body gets one 405 with Allow, an OPTIONS one 204; both close", async () => {
    for (const [method, status] of [
      ["POST", 405],
      ["OPTIONS", 204],
    ] as const) {
      const { raw, closed } = await exchange(ours.port, [bytes(chunkedHead(method) + WELL_FORMED)]);
      const responses = responsesIn(raw);
      expect(
        responses.map((response) => response.status),
        method,
      ).toEqual([status]);
      expect(responses[0]?.headers, method).toMatchObject({
        allow: "GET, HEAD, OPTIONS, PROPFIND",
        connection: "close",
      });
      expect(closed, method).toBe(true);
    }
  });

  // No second response: the connection is closed by then.
  it("a bad chunk sent after the answer gets no second response, even to a client slow to read", async () => {
    for (const [method, status] of [
      ["GET", 400],
      ["POST", 405],
    ] as const) {
      const unfinished = `${chunkedHead(method, "/big.bin")}3\r\nabc\r\n`;
      const { raw, closed } = await exchange(ours.port, [bytes(unfinished), 200, bytes("zz\r\n")], {
        readAfterMs: 400,
      });
      expect(
        responsesIn(raw).map((response) => [response.status, response.headers.connection]),
        method,
      ).toEqual([[status, "close"]]);
      expect(closed, method).toBe(true);
    }
  });

  it("a request pipelined behind a chunked body in the same write gets no second response", async () => {
    // Bun 1.4.5 writes nothing at all here: it closes a connection on which a pipelined request is
    // parsed while the handler is still pending (see "HTTP/1.1 pipelining" in bun.test.ts).
    for (const method of ["GET", "POST"]) {
      const { raw, closed } = await exchange(ours.port, [
        bytes(`${chunkedHead(method)}${WELL_FORMED}GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n`),
      ]);
      expect(responsesIn(raw).length, method).toBeLessThanOrEqual(1);
      expect(closed, method).toBe(true);
    }
  });

  it("a GET with a Content-Length body is served and the connection kept: Bun frames that body itself", async () => {
    const request =
      "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
      "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    const { raw, closed } = await exchange(ours.port, [bytes(request)], { openMs: 500 });
    expect(responsesIn(raw).map((response) => [response.status, response.body.toString()])).toEqual([
      [200, TEXT],
      [200, TEXT],
    ]);
    expect(closed).toBe(false);
  });

  it("onRequest logs the answers the adapter sent, none for a request Bun answered itself", async () => {
    await exchange(ours.port, [bytes(`${chunkedHead("GET", "/hello.txt?bad")}zz\r\n`)]);
    await exchange(ours.port, [bytes(chunkedHead("GET", "/hello.txt?good") + WELL_FORMED)]);
    const logged = (): { target: string; status: number }[] =>
      stdout
        .split("\n")
        .filter((line) => line.startsWith('{"log"') && line.includes("/hello.txt?"))
        .map((line) => (JSON.parse(line) as { log: { target: string; status: number } }).log);
    const deadline = Date.now() + 5000;
    while (!logged().some((entry) => entry.target === "/hello.txt?good") && Date.now() < deadline)
      await new Promise((wake) => setTimeout(wake, 20));
    expect(logged()).toEqual([expect.objectContaining({ target: "/hello.txt?good", status: 400 })]);
  });

  // Why the adapter waits for Bun to parse what it has before it answers.
  it("bare Bun.serve answers a GET with a malformed chunk twice: the handler's 200, then its own 400", async () => {
    const { raw, closed } = await exchange(bare.port, [bytes(`${chunkedHead("GET")}zz\r\n`)]);
    expect(responsesIn(raw).map((response) => response.status)).toEqual([200, 400]);
    expect(raw.toString("latin1").endsWith(BUN_400)).toBe(true);
    expect(closed).toBe(true);
  });

  it("Bun writes its 400 for a malformed request into a response still being sent, bare or adapted", async () => {
    // A runtime limit (oven-sh/bun#38181), on any keep-alive connection: the client that sends the
    // bad bytes gets the response before them cut short, then Bun's 400, and the connection closes.
    for (const [server, target] of [
      [bare, "/big"],
      [ours, "/big.bin"],
    ] as const) {
      const parts = [bytes(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`), 200, bytes("zz\r\n\r\n")];
      const { raw, closed } = await exchange(server.port, parts, { readAfterMs: 400 });
      expect(raw.toString("latin1", 0, 15), target).toBe("HTTP/1.1 200 OK");
      expect(raw.length, target).toBeLessThan(BIG_SIZE);
      expect(raw.subarray(-BUN_400.length).toString("latin1"), target).toBe(BUN_400);
      expect(closed, target).toBe(true);
    }
  });
});

describe("methods the server does not implement (RFC 9110 §9.1)", () => {
  it("methods Bun knows (PROPPATCH, PATCH, QUERY, PURGE, TRACE) get 405 with Allow, the connection kept", async () => {
    for (const method of ["PROPPATCH", "PATCH", "QUERY", "PURGE", "TRACE"]) {
      const { raw, closed } = await exchange(ours.port, [bytes(`${method} /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n`)], {
        openMs: 300,
      });
      const responses = responsesIn(raw);
      expect(
        responses.map((response) => response.status),
        method,
      ).toEqual([405]);
      expect(responses[0]?.headers.allow, method).toBe("GET, HEAD, OPTIONS, PROPFIND");
      expect(closed, method).toBe(false);
    }
  });

  it("CONNECT gets 405 with Allow and a closed connection, not a tunnel that drops the next request", async () => {
    const { raw, closed } = await exchange(
      ours.port,
      [bytes("CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n")],
      { openMs: 300 },
    );
    const responses = responsesIn(raw);
    expect(responses.map((response) => response.status)).toEqual([405]);
    expect(responses[0]?.headers.connection).toBe("close");
    expect(closed).toBe(true);
  });

  it("Bun closes without a byte on a method it does not know (FROB, BREW, lower-case get), bare or not", async () => {
    // A runtime limit (oven-sh/bun#6556): Bun's parser knows a fixed list of methods and drops any
    // other before a handler runs, so neither 405 nor 501 can be sent. Node answers these with 400.
    for (const server of [bare, ours]) {
      for (const method of ["FROB", "BREW", "get"]) {
        const { raw, closed } = await exchange(server.port, [bytes(`${method} / HTTP/1.1\r\nHost: x\r\n\r\n`)]);
        expect(raw.toString("latin1"), `${method} on port ${server.port}`).toBe("");
        expect(closed, method).toBe(true);
      }
    }
  });
});

describe("request lines (RFC 9112 §3)", () => {
  const MALFORMED_LINES = {
    "a space in the target": "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
    "a tab in the target": "GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n",
    "a control byte in the target": "GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n",
    "a NUL in the target": "GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "a lower-case http/1.1": "GET / http/1.1\r\nHost: x\r\n\r\n",
    "bare LF line endings": "GET / HTTP/1.1\nHost: x\n\n",
  };

  it("Bun answers a malformed request line with 505 and a close, before any handler, bare or adapted", async () => {
    // A runtime limit (oven-sh/bun#19326): 400 is the answer RFC 9112 §3 asks for; 505 is meant
    // for a protocol version the server refuses (RFC 9110 §15.6.6). No handler sees these requests.
    for (const server of [bare, ours]) {
      for (const [what, line] of Object.entries(MALFORMED_LINES)) {
        const { raw, closed } = await exchange(server.port, [bytes(line)]);
        expect(raw.toString("latin1"), `${what} on port ${server.port}`).toBe(BUN_505);
        expect(closed, what).toBe(true);
      }
    }
  });

  it("a raw DEL or UTF-8 byte in the target gets the answer its escape gets: Bun passes it on escaped", async () => {
    const request = (target: string): string => `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const { raw, closed } = await exchange(
      ours.port,
      [bytes(request("/a\x7fb") + request("/a%7Fb") + request("/caf\xc3\xa9.txt") + request("/caf%C3%A9.txt"))],
      { openMs: 500 },
    );
    expect(
      responsesIn(raw).map((response) => [response.status, response.status === 200 ? response.body.toString() : ""]),
    ).toEqual([
      [404, ""],
      [404, ""],
      [200, "café\n"],
      [200, "café\n"],
    ]);
    expect(closed).toBe(false);
  });
});
