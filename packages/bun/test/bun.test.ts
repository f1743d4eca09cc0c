/**
 * @simplehttp/bun over real sockets. Vitest runs on Node; the server runs under Bun, spawned from
 * `node_modules/bun/bin/bun.exe` itself: pnpm's `.bin/bun` is a shell script that does not exec,
 * and killing it would leave Bun listening.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AccessLogEntry } from "@simplehttp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolPath } from "../../../test/setup/system-packages.ts";
import { parseResponse, type RawResponse, rawGet, rawRequest } from "../../../test/support/raw-http.ts";

const BUN = fileURLToPath(new URL("../../../node_modules/bun/bin/bun.exe", import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL("./fixture-server.ts", import.meta.url));
const CHECKS_SCRIPT = fileURLToPath(new URL("./fixture-checks.ts", import.meta.url));
const WAIT_MS = 10_000;

const TEXT = "hello world, a text file\n";
let parent: string;
let root: string;
let big: Buffer;
const started: RunningBun[] = [];
const tracedPids: number[] = []; // Bun under strace: killing strace would only detach it

/** A Bun process writing JSON lines to stdout, read as they come. */
class RunningBun {
  readonly messages: Record<string, unknown>[] = [];
  readonly exited: Promise<number | null>;
  stderr = "";

  constructor(readonly child: ChildProcess) {
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
        this.messages.push(JSON.parse(pending.slice(0, newline)) as Record<string, unknown>);
        pending = pending.slice(newline + 1);
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString("utf8")));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    started.push(this);
  }

  /** The first message `find` accepts, waiting at most `timeoutMs`. */
  async next<T>(find: (message: Record<string, unknown>) => T | undefined, timeoutMs = WAIT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const message of this.messages) {
        const found = find(message);
        if (found !== undefined) return found;
      }
      if (Date.now() > deadline) throw new Error(`no such message within ${timeoutMs} ms; stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Its exit code, waiting at most `timeoutMs`. */
  exitCode(timeoutMs = WAIT_MS): Promise<number | null> {
    return Promise.race([
      this.exited,
      rejectAfter(timeoutMs, `still running after ${timeoutMs} ms; stderr: ${this.stderr}`),
    ]);
  }
}

function rejectAfter(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

interface Started {
  url: string;
  port: number;
  pid: number;
}
const isStarted = (message: Record<string, unknown>): Started | undefined =>
  typeof message.url === "string" ? (message as unknown as Started) : undefined;

/** Starts the fixture server on `root`, under `wrapper` (e.g. strace) if given. */
async function startServer(wrapper: string[] = []): Promise<{ bun: RunningBun; info: Started }> {
  const [command = BUN, ...args] = [...wrapper, BUN, SERVER_SCRIPT, root];
  const bun = new RunningBun(spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] }));
  return { bun, info: await bun.next(isStarted) };
}

let server: RunningBun;
let port: number;
let base: string;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), "simplehttp-bun-"));
  root = join(parent, "root");
  mkdirSync(join(root, "dir"), { recursive: true });
  writeFileSync(join(root, "a.txt"), "hello\n");
  writeFileSync(join(root, "t.txt"), TEXT);
  writeFileSync(join(root, "data.xyz"), "abcdefghijklmnopqrstuvwxyz");
  writeFileSync(join(root, "dir", "inner.txt"), "inner\n");
  big = randomBytes(3 * 1024 * 1024);
  writeFileSync(join(root, "big.bin"), big);
  const { bun, info } = await startServer();
  server = bun;
  port = info.port;
  base = info.url;
});

afterAll(async () => {
  for (const bun of started) {
    if (bun.child.exitCode === null && bun.child.signalCode === null) bun.child.kill("SIGKILL");
  }
  for (const pid of tracedPids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (parent) rmSync(parent, { recursive: true, force: true });
});

const url = (path: string): string => new URL(path, base).href;
const get = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(url(path), { ...init, signal: AbortSignal.timeout(WAIT_MS) });

/** Lower-cased header names in the order sent, repeats included (RawResponse.headers joins repeats). */
function headerNames(response: RawResponse): string[] {
  const head = response.raw.subarray(0, response.raw.indexOf("\r\n\r\n")).toString("latin1");
  return head
    .split("\r\n")
    .slice(1)
    .map((line) => line.slice(0, line.indexOf(":")).toLowerCase());
}
const count = (names: string[], name: string): number => names.filter((n) => n === name).length;
/** The bytes after the head: what was sent as a body, whatever the headers say. */
const sentBody = (response: RawResponse): Buffer => response.raw.subarray(response.raw.indexOf("\r\n\r\n") + 4);

/** Splits one connection's bytes into its responses (each with Content-Length or chunked). */
function splitResponses(raw: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const headEnd = raw.indexOf("\r\n\r\n", offset);
    if (headEnd < 0) throw new Error(`incomplete head at ${offset}`);
    const head = raw.subarray(offset, headEnd).toString("latin1");
    let end = headEnd + 4;
    if (/^transfer-encoding: *chunked/im.test(head)) {
      for (let size = -1; size !== 0; ) {
        const lineEnd = raw.indexOf("\r\n", end);
        size = parseInt(raw.subarray(end, lineEnd).toString("latin1"), 16);
        end = lineEnd + 2 + size + 2;
      }
    } else {
      end += Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
    }
    responses.push(parseResponse(raw.subarray(offset, end)));
    offset = end;
  }
  return responses;
}

/** The parts of a multipart/byteranges body, each sliced by its own Content-Range. */
function multipartParts(body: Buffer, contentType: string): { type: string; range: string; data: Buffer }[] {
  const boundary = /boundary=([^\s;]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const parts: { type: string; range: string; data: Buffer }[] = [];
  let offset = 0;
  for (;;) {
    const delimiter = `${parts.length === 0 ? "" : "\r\n"}--${boundary}`;
    expect(body.subarray(offset, offset + delimiter.length).toString("latin1")).toBe(delimiter);
    offset += delimiter.length;
    if (body.subarray(offset, offset + 4).toString("latin1") === "--\r\n") return parts;
    const headEnd = body.indexOf("\r\n\r\n", offset);
    const head = body.subarray(offset + 2, headEnd).toString("latin1");
    const range = /^content-range: *(.*)$/im.exec(head)?.[1] ?? "";
    const [, first = "0", last = "-1"] = /bytes (\d+)-(\d+)\//.exec(range) ?? [];
    const start = headEnd + 4;
    const end = start + Number(last) - Number(first) + 1;
    parts.push({ type: /^content-type: *(.*)$/im.exec(head)?.[1] ?? "", range, data: body.subarray(start, end) });
    offset = end;
  }
}

describe("files", () => {
  it("serves a small and a 3 MiB file byte-exact", async () => {
    const small = await get("/t.txt");
    expect(small.status).toBe(200);
    expect(small.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await small.text()).toBe(TEXT);
    const large = await get("/big.bin");
    expect(large.headers.get("content-length")).toBe(String(big.length));
    expect(Buffer.from(await large.arrayBuffer()).equals(big)).toBe(true);
  });

  it("a 206 carries exactly one Content-Range, Content-Length and Content-Type, all the core's", async () => {
    const text = await rawGet(port, "/t.txt", { Range: "bytes=2-6" });
    expect(text.status).toBe(206);
    const names = headerNames(text);
    for (const name of ["content-range", "content-length", "content-type"]) expect(count(names, name), name).toBe(1);
    // Bun's Blob type for .txt would be `text/plain;charset=utf-8`: the core's value is the one sent.
    expect(text.headers).toMatchObject({
      "content-range": "bytes 2-6/25",
      "content-length": "5",
      "content-type": "text/plain; charset=utf-8",
    });
    expect(names).not.toContain("content-disposition");
    expect(sentBody(text).toString("latin1")).toBe(TEXT.slice(2, 7));

    const binary = await rawGet(port, "/big.bin", { Range: "bytes=1000-1999999" });
    const binaryNames = headerNames(binary);
    for (const name of ["content-range", "content-length", "content-type", "content-disposition"])
      expect(count(binaryNames, name), name).toBe(1);
    // Bun would add `Content-Disposition: filename="big.bin"` to an octet-stream Blob; the adapter says inline.
    expect(binary.headers).toMatchObject({
      "content-range": `bytes 1000-1999999/${big.length}`,
      "content-length": "1999000",
      "content-disposition": "inline",
    });
    expect(sentBody(binary).equals(big.subarray(1000, 2_000_000))).toBe(true);
  });

  it("answers several ranges with a multipart/byteranges body of exact Content-Length", async () => {
    const response = await rawGet(port, "/big.bin", { Range: "bytes=0-9,100000-199999" });
    expect(response.status).toBe(206);
    const names = headerNames(response);
    expect(count(names, "content-type")).toBe(1);
    expect(count(names, "content-range")).toBe(0);
    expect(count(names, "content-length")).toBe(1);
    expect(names).not.toContain("transfer-encoding");
    expect(sentBody(response).length).toBe(Number(response.headers["content-length"]));
    const parts = multipartParts(response.body, response.headers["content-type"] ?? "");
    expect(parts.map(({ type, range }) => ({ type, range }))).toEqual([
      { type: "application/octet-stream", range: `bytes 0-9/${big.length}` },
      { type: "application/octet-stream", range: `bytes 100000-199999/${big.length}` },
    ]);
    expect(parts[0]?.data.equals(big.subarray(0, 10))).toBe(true);
    expect(parts[1]?.data.equals(big.subarray(100_000, 200_000))).toBe(true);
  });

  // oven-sh/bun#10507.
  it("streams a multipart body over 1 MiB chunked: Bun drops a stream's Content-Length", async () => {
    const response = await rawGet(port, "/big.bin", { Range: "bytes=0-9,100000-1999999" });
    expect(response.status).toBe(206);
    const names = headerNames(response);
    expect(count(names, "transfer-encoding")).toBe(1);
    expect(names).not.toContain("content-length");
    const parts = multipartParts(response.body, response.headers["content-type"] ?? "");
    expect(parts.map((part) => part.range)).toEqual([`bytes 0-9/${big.length}`, `bytes 100000-1999999/${big.length}`]);
    expect(parts[1]?.data.equals(big.subarray(100_000, 2_000_000))).toBe(true);
  });

  it("404 for a missing file", async () => {
    const response = await get("/missing.txt");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    await response.arrayBuffer();
  });

  it("a file deleted between two requests answers 404, not 500", async () => {
    writeFileSync(join(root, "doomed.txt"), "soon gone\n");
    expect(await (await get("/doomed.txt")).text()).toBe("soon gone\n");
    unlinkSync(join(root, "doomed.txt"));
    const response = await get("/doomed.txt");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("404");
  });

  it("ETag and If-None-Match give a 304 with the validators and no body", async () => {
    const first = await rawGet(port, "/t.txt");
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^"[^"]+"$/);
    const revalidated = await rawGet(port, "/t.txt", { "If-None-Match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.etag).toBe(etag);
    expect(revalidated.headers["last-modified"]).toBe(first.headers["last-modified"]);
    expect(sentBody(revalidated).length).toBe(0);
  });

  // RFC 9110 §14.2: a Range on HEAD is ignored.
  it("HEAD has GET's headers, Content-Length and Date included, and no body, whatever its Range", async () => {
    for (const [target, extra] of [
      ["/t.txt", {}],
      ["/data.xyz", {}],
      ["/big.bin", { Range: "bytes=5-9" }],
      ["/", {}],
    ] as const) {
      const got = await rawGet(port, target);
      const head = await rawRequest(
        port,
        `HEAD ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${Object.entries(extra)
          .map(([n, v]) => `${n}: ${v}\r\n`)
          .join("")}\r\n`,
      );
      expect(head.status, target).toBe(got.status);
      expect(sentBody(head).length, target).toBe(0);
      expect(headerNames(head).sort(), target).toEqual(headerNames(got).sort());
      const { date: _headDate, ...headHeaders } = head.headers;
      const { date: _getDate, ...getHeaders } = got.headers;
      expect(headHeaders, target).toEqual(getHeaders);
    }
  });

  it("lists a directory, and redirects to its slash form", async () => {
    const listing = await get("/");
    expect(listing.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await listing.text();
    for (const name of ["a.txt", "t.txt", "big.bin", "dir/"]) expect(html).toContain(`<a href="${name}">${name}</a>`);
    const redirect = await get("/dir", { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/dir/");
    expect(await (await get("/dir/")).text()).toContain('<a href="inner.txt">inner.txt</a>');
  });

  it("serves HTTP/1.0 without Host (Bun's request.url is then only the path)", async () => {
    // `//dir/…` as a bare request.url would read as a scheme-relative URL with host `dir`.
    const response = await rawRequest(port, "GET //dir/inner.txt HTTP/1.0\r\n\r\n");
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("inner\n");
  });

  it("calls onRequest once per answered request, with the target as sent", async () => {
    const target = `/a.txt?probe=${randomBytes(4).toString("hex")}`;
    const sent = performance.now();
    await (await get(target, { headers: { "user-agent": "probe/1", referer: "http://example.test/" } })).text();
    const entry = await server.next((message) =>
      (message.log as AccessLogEntry | undefined)?.target === target ? (message.log as AccessLogEntry) : undefined,
    );
    expect(entry).toMatchObject({
      remoteAddress: "127.0.0.1",
      method: "GET",
      httpVersion: "1.1",
      status: 200,
      bytes: 6,
      userAgent: "probe/1",
      referer: "http://example.test/",
    });
    // The server times the request within the span from sending it to reading its log entry.
    expect(entry.durationMs).toBeGreaterThan(0);
    expect(entry.durationMs).toBeLessThan(performance.now() - sent);
    expect(Date.now() - new Date(entry.time).getTime()).toBeLessThan(WAIT_MS);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      server.messages.filter((message) => (message.log as AccessLogEntry | undefined)?.target === target),
    ).toHaveLength(1);
  });
});

describe("targets Bun normalises before any handler (targets.ts)", () => {
  it("refuses /..\\..\\etc/passwd with 400, and logs the target with its backslashes, not as /etc/passwd", async () => {
    const response = await rawGet(port, "/..\\..\\etc/passwd");
    expect(response.status).toBe(400);
    const entry = await server.next((message) =>
      (message.log as AccessLogEntry | undefined)?.status === 400 ? (message.log as AccessLogEntry) : undefined,
    );
    expect(entry.target).toBe("/..\\..\\etc/passwd");
  });

  // Pinned in docs/runtimes.md, as a limit of Bun's.
  it("serves a target with an empty segment as Bun resolved it: //dir/../a.txt is //a.txt", async () => {
    // No route matches an empty segment, and the URL shows `//` still: nothing tells the `..` apart.
    const response = await rawGet(port, "//dir/../a.txt");
    expect([response.status, response.body.toString()]).toEqual([200, "hello\n"]);
    expect((await rawGet(port, "/dir//../a.txt")).status).toBe(400);
  });
});

describe("what HTTP alone cannot reach (fixture-checks.ts under Bun)", () => {
  it("read() of a file gone since the stat rejects ENOENT, a busy port EADDRINUSE; no hostname binds ::", async () => {
    const bun = new RunningBun(spawn(BUN, [CHECKS_SCRIPT, root], { stdio: ["ignore", "pipe", "pipe"] }));
    const result = await bun.next((message) => ("read" in message ? message : undefined));
    expect(await bun.exitCode()).toBe(0);
    expect(result.read).toEqual({
      isBytes: true,
      text: "ell",
      isBlob: true,
      largeText: "el",
      missing: "ENOENT",
      directory: "ENOENT",
      statMissing: null,
      statThroughFile: null,
    });
    expect(result.busyPort).toBe("EADDRINUSE");
    expect(result.wildcard).toMatchObject({ hostname: "::", viaIPv4: 200 });
    expect((result.wildcard as { url: string }).url).toMatch(/^http:\/\/localhost:\d+\/$/);
  });
});

describe("HTTP/1.1 pipelining", () => {
  // Bun 1.4 closes a connection, answering nothing, when a pipelined request is parsed while the
  // handler is still awaiting real I/O (https://github.com/oven-sh/bun/pull/38128). The adapter's
  // synchronous stat/readdir let the handler settle within microtasks, which Bun supports.
  it("answers two GETs pipelined in one TCP write", async () => {
    const request =
      "GET /t.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
      "GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    const responses = splitResponses((await rawRequest(port, request)).raw);
    expect(responses.map((response) => [response.status, response.body.toString("latin1")])).toEqual([
      [200, TEXT],
      [200, "hello\n"],
    ]);
  });

  it("answers a pipelined multi-range, 404, listing and 3 MiB file in order", async () => {
    const heads = [
      "GET /t.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-1,4-5\r\n",
      "GET /missing HTTP/1.1\r\nHost: 127.0.0.1\r\n",
      "GET /dir/ HTTP/1.1\r\nHost: 127.0.0.1\r\n",
      "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
    ];
    const responses = splitResponses((await rawRequest(port, `${heads.join("\r\n")}\r\n`)).raw);
    expect(responses.map((response) => response.status)).toEqual([206, 404, 200, 200]);
    expect(
      multipartParts(responses[0]?.body ?? Buffer.alloc(0), responses[0]?.headers["content-type"] ?? "").map((part) =>
        part.data.toString(),
      ),
    ).toEqual(["he", "o "]);
    expect(responses[2]?.body.toString()).toContain("inner.txt");
    expect(responses[3]?.body.equals(big)).toBe(true);
  });
});

describe("zero copy", () => {
  it("sends a whole file and a range with sendfile (strace)", async () => {
    const trace = join(parent, "sendfile.trace");
    const { bun, info } = await startServer([toolPath("strace"), "-f", "-e", "trace=sendfile", "-o", trace]);
    tracedPids.push(info.pid);
    try {
      expect((await rawGet(info.port, "/big.bin")).body.equals(big)).toBe(true);
      expect((await rawGet(info.port, "/big.bin", { Range: "bytes=1000-1999999" })).body.length).toBe(1_999_000);
    } finally {
      process.kill(info.pid, "SIGTERM"); // Bun itself: strace exits with it
    }
    expect(await bun.exitCode()).toBe(0);
    const calls = readFileSync(trace, "utf8");
    // e.g. `sendfile(7, 8, [1000] => [2000000], 1999000) = 1999000`; a large body may take several calls.
    const sent = [...calls.matchAll(/sendfile\(\d+, \d+, \[\d+\] => \[\d+\], \d+\) = (\d+)/g)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(calls).toMatch(/sendfile\(\d+, \d+, \[0\]/);
    expect(calls).toMatch(/sendfile\(\d+, \d+, \[1000\]/);
    expect(sent).toBe(big.length + 1_999_000);
  });
});

describe("close()", () => {
  it("SIGTERM closes the server: open keep-alive connections end, the port refuses, exit 0", async () => {
    const socket = connect({ host: "127.0.0.1", port });
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => {});
    const answered = new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.write("GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await Promise.race([answered, rejectAfter(WAIT_MS, "no response on the keep-alive connection")]);
    server.child.kill("SIGTERM");
    expect(await server.exitCode()).toBe(0);
    await Promise.race([closed, rejectAfter(WAIT_MS, "keep-alive connection still open")]);
    await expect(rawGet(port, "/a.txt")).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});
