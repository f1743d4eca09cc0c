/**
 * Live reload's event stream over HTTP/2 (RFC 9113), from Node and Deno over TLS (Bun serves
 * HTTP/1.1 only): a long-lived stream whose events arrive as files change, while other requests
 * share the same connection; the server goes on serving streams after the client resets one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type ClientHttp2Session, connect } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, type SpawnedServer, spawnServer } from "../support/spawn-server.ts";
import { testCertificate, tlsEnvironment } from "../support/test-certificate.ts";
import { RUNTIME_COMMANDS } from "./targets.ts";

const SCRIPT = `${REPO_ROOT}test/support/live-server.ts`;
const WAIT_MS = 5000;

describe.each(["node", "deno"] as const)("the event stream over HTTP/2 on %s", (runtime) => {
  let root: string;
  let server: SpawnedServer;
  let session: ClientHttp2Session;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), `simplehttp-live-h2-${runtime}-`));
    mkdirSync(join(root, "css"));
    writeFileSync(join(root, "index.html"), "<body>1</body>");
    const [command, ...args] = RUNTIME_COMMANDS[runtime];
    server = await spawnServer(command, [...args.slice(0, -1), SCRIPT, root], {
      env: { ...process.env, ...tlsEnvironment() },
    });
    session = connect(server.url, { ca: testCertificate().cert });
  });
  afterAll(async () => {
    session?.close();
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("sends events as files change, beside other requests on one connection; a reset leaves it serving", async () => {
    const stream = session.request({ ":path": "/.simplehttp/live" });
    const head = await new Promise<Record<string, unknown>>((resolve) => stream.once("response", resolve));
    expect(session.alpnProtocol).toBe("h2");
    expect(head[":status"]).toBe(200);
    expect(head["content-type"]).toBe("text/event-stream; charset=utf-8");
    let text = "";
    stream.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    const until = async (part: string) => {
      const deadline = Date.now() + WAIT_MS;
      while (!text.includes(part) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      return text;
    };
    expect(await until("retry: 1000")).toContain(": live reload");
    // Another request on the same connection is answered while the stream stays open.
    const page = session.request({ ":path": "/", "sec-fetch-dest": "document" });
    let body = "";
    page.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    await new Promise((resolve) => page.once("end", resolve));
    expect(body).toContain('new EventSource("/.simplehttp/live")');
    writeFileSync(join(root, "css", "site.css"), "p{}");
    expect(await until('event: css\ndata: ["/css/site.css"]')).toContain("/css/site.css");
    writeFileSync(join(root, "index.html"), "<body>2</body>");
    expect(await until('data: ["/index.html"]')).toContain("event: change");
    const closed = new Promise((resolve) => stream.once("close", resolve));
    stream.close();
    await closed;
    const again = session.request({ ":path": "/.simplehttp/live" });
    let next = "";
    again.setEncoding("utf8").on("data", (chunk: string) => (next += chunk));
    writeFileSync(join(root, "index.html"), "<body>3</body>");
    const deadline = Date.now() + WAIT_MS;
    while (!next.includes("/index.html") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(next).toContain('event: change\ndata: ["/index.html"]');
    again.close();
  });
});
