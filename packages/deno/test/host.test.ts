/**
 * The Host header on Deno (issue 11). RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1
 * request that lacks Host, and to any request with more than one Host or an invalid one; an
 * HTTP/1.0 request may omit it. Deno.serve (2.9, its own HTTP/1 parser, which it runs with
 * `set_allow_missing_host(true)`) lets a Host-less HTTP/1.1 request through and gives the handler
 * nothing that tells it from an HTTP/1.0 one, so the adapter cannot refuse it without refusing
 * HTTP/1.0 as well. These tests pin down what a bare Deno.serve does, then what our serve() does,
 * so that they fail when Deno changes (then the adapter may do better, or get it for free).
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResponse, rawRequest } from "../../../test/support/raw-http.ts";
import { DENO, type SpawnedServer, spawnServer } from "../../../test/support/spawn-server.ts";
import { type Fixture, killLeftovers, launchOrThrow, stop, waitFor } from "./launch.ts";

const BARE = fileURLToPath(new URL("./bare-server.ts", import.meta.url));

/** What bare-server.ts's handler saw of a request. */
interface Seen {
  method: string;
  url: string;
  headers: [string, string][];
  keepalive: boolean;
  info: string[];
  remote: string;
}
interface Bare extends SpawnedServer {
  seen: Seen[];
}

/** bare-server.ts, and every `{"seen":…}` line it prints after its first. */
async function startBare(): Promise<Bare> {
  const server = await spawnServer(DENO, ["run", "--allow-net=127.0.0.1", BARE], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  const seen: Seen[] = [];
  // Only requests print more lines, and none was sent yet: nothing after the first line is missed.
  const { stdout } = server.child;
  if (stdout === null) throw new Error("the server was spawned without a stdout pipe");
  createInterface({ input: stdout }).on("line", (line) => {
    const message = JSON.parse(line) as { seen?: Seen };
    if (message.seen) seen.push(message.seen);
  });
  return { ...server, seen };
}

/** How many responses `raw` holds: status lines at the start of a line (bodies here hold none). */
const responseCount = (raw: Buffer): number => raw.toString("latin1").match(/^HTTP\/1\.[01] \d{3} /gm)?.length ?? 0;
const statusLine = (response: RawResponse): string => response.raw.toString("latin1").split("\r\n", 1)[0] ?? "";
/** Reads until the server closes: every response the request drew. */
const untilClose = (port: number, bytes: string): Promise<RawResponse> => rawRequest(port, bytes, { timeoutMs: 5000 });
/** Resolves with the first response, for requests Deno keeps the connection open after. */
const firstResponse = (port: number, bytes: string): Promise<RawResponse> =>
  rawRequest(port, bytes, { oneResponse: true, timeoutMs: 5000 });

describe("a bare Deno.serve (what Deno does, not what we do)", () => {
  let bare: Bare;
  let port: number;
  beforeAll(async () => {
    bare = await startBare();
    port = bare.port;
  });
  afterAll(async () => {
    await bare?.stop();
  });
  const json = (response: RawResponse): Seen => JSON.parse(response.body.toString()) as Seen;

  // RFC 9112 §3.2 asks for a 400.
  it("hands an HTTP/1.1 request without Host to the handler, with localhost:<port> as its host", async () => {
    const response = await firstResponse(port, "GET /a HTTP/1.1\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.1 200 OK");
    expect(json(response)).toMatchObject({ url: `http://localhost:${port}/a`, headers: [] });
  });

  it("gives the handler the same request for HTTP/1.0 and HTTP/1.1 without Host: the version is hidden", async () => {
    const v11 = await firstResponse(port, "GET /a HTTP/1.1\r\n\r\n");
    const v10 = await untilClose(port, "GET /a HTTP/1.0\r\n\r\n"); // Deno closes: it knows the version
    expect(statusLine(v10)).toBe("HTTP/1.0 200 OK");
    expect(json(v10)).toEqual(json(v11));
    // The handler's second argument: a new property (a version?) would let the adapter tell them apart.
    expect(json(v10).info).toEqual(["completed", "remoteAddr"]);
  });

  it("answers an HTTP/1.1 request with two Host lines 400 itself, empty, closing: the handler never runs", async () => {
    const response = await untilClose(port, "GET /two-hosts HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.1 400 Bad Request");
    expect(responseCount(response.raw)).toBe(1);
    expect(response.body.length).toBe(0);
    expect(response.headers.connection).toBe("close");
    // A later request's line arrives after any line the two-Host request would have printed.
    await firstResponse(port, "GET /after-two-hosts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await waitFor(() => bare.seen.some((seen) => seen.url.endsWith("/after-two-hosts")));
    expect(bare.seen.filter((seen) => seen.url.includes("/two-hosts"))).toEqual([]);
  });

  it("hands an HTTP/1.0 request with two Host lines to the handler, joined (the URL takes the first)", async () => {
    const response = await untilClose(port, "GET /two-hosts-10 HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.0 200 OK");
    expect(json(response)).toMatchObject({ url: "http://a/two-hosts-10", headers: [["host", "a, b"]] });
  });

  it("hands an invalid Host to the handler (RFC 9112 §3.2: 400), in request.url too", async () => {
    const response = await firstResponse(port, "GET /x HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n");
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({
      url: "http://a b/x",
      headers: [
        ["connection", "close"],
        ["host", "a b"],
      ],
    });
  });
});

describe("@simplehttp/deno and the Host header", () => {
  let parent: string;
  let fixture: Fixture;
  let port: number;
  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), "simplehttp-deno-host-"));
    const root = realpathSync(parent);
    writeFileSync(join(root, "a.txt"), "hello\n");
    fixture = await launchOrThrow({ root, module: "../src/index.ts" });
    port = fixture.port;
  });
  afterAll(async () => {
    if (fixture) await stop(fixture);
    killLeftovers(); // only one stop() failed to end
    if (parent) rmSync(parent, { recursive: true, force: true });
  });
  const errorTitle = (response: RawResponse): string | undefined =>
    /<title>([^<]*)<\/title>/.exec(response.body.toString())?.[1];

  it("serves an HTTP/1.1 request with Host as before", async () => {
    const response = await untilClose(port, "GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.1 200 OK");
    expect(responseCount(response.raw)).toBe(1);
    expect(response.body.toString()).toBe("hello\n");
  });

  it("serves an HTTP/1.0 request without Host (RFC 9112 §3.2 requires Host of HTTP/1.1 only)", async () => {
    const response = await untilClose(port, "GET /a.txt HTTP/1.0\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.0 200 OK");
    expect(responseCount(response.raw)).toBe(1);
    expect(response.body.toString()).toBe("hello\n");
  });

  // RFC 9112 §3.2 asks for a 400.
  it("serves an HTTP/1.1 request without Host too: a runtime limit, Deno.serve hides the version", async () => {
    const response = await untilClose(port, "GET /a.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.1 200 OK");
    expect(responseCount(response.raw)).toBe(1);
    expect(response.body.toString()).toBe("hello\n");
  });

  it("answers an HTTP/1.1 request with two Host lines exactly one 400: Deno's own, empty, and not logged", async () => {
    const response = await untilClose(port, "GET /a.txt?two-hosts HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.1 400 Bad Request");
    expect(responseCount(response.raw)).toBe(1);
    expect(response.body.length).toBe(0);
    await untilClose(port, "GET /a.txt?after HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    await waitFor(() => fixture.logs.some((entry) => entry.target === "/a.txt?after"));
    expect(fixture.logs.filter((entry) => entry.target.includes("two-hosts"))).toEqual([]);
  });

  it("answers an HTTP/1.0 request with two Host lines exactly one 400, our error page: `a, b` is no host", async () => {
    const response = await untilClose(port, "GET /a.txt HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n");
    expect(statusLine(response)).toBe("HTTP/1.0 400 Bad Request");
    expect(responseCount(response.raw)).toBe(1);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(errorTitle(response)).toBe("400 Bad Request");
  });
});
