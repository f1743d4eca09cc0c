/**
 * @simplehttp/bun over HTTPS, run by Bun (test/support/tls-serve.ts, the built adapter) and
 * reached from Node: what it negotiates, and the one-line refusal of an unusable certificate or key.
 * Bun 1.4.5's Bun.serve agrees to no ALPN protocol over TLS unless its experimental `http2` option
 * is on, which the adapter leaves off: every client gets HTTP/1.1, an HTTP/2-only client none.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpawnedServer } from "../../../test/support/spawn-server.ts";
import { testCertificate, unrelatedKey } from "../../../test/support/test-certificate.ts";
import { startTlsServer, TLS_ERROR_CODE, TLS_REFUSAL, tlsRefusal, unusableTlsCases } from "../../../test/support/tls-launch.ts";
import { rawGet } from "../../node/test/raw-http.js";

const { cert: ca } = testCertificate();
let root: string;
let server: SpawnedServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "simplehttp-bun-tls-"));
  writeFileSync(join(root, "hello.txt"), "hello\n");
  server = await startTlsServer("bun", root);
});

afterAll(async () => {
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function tlsConnection(protocols: string[]): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: server.port, ca, ALPNProtocols: protocols }, () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("HTTPS on Bun", () => {
  it("gives an https URL, agrees to no ALPN protocol when offered h2 and http/1.1, and serves HTTP/1.1", async () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}/`);
    const both = await tlsConnection(["h2", "http/1.1"]);
    const h1Only = await tlsConnection(["http/1.1"]);
    both.destroy();
    h1Only.destroy();
    expect([both.alpnProtocol, h1Only.alpnProtocol]).toEqual([false, false]);
    const response = await rawGet(server.port, "/hello.txt", {}, { tls: { ca } });
    expect([response.status, response.body.toString()]).toEqual([200, "hello\n"]);
  });

  it.each(unusableTlsCases(testCertificate(), unrelatedKey()))("rejects $what with one line and code ERR_SIMPLEHTTP_TLS", async ({ tls }) => {
    const refusal = await tlsRefusal("bun", tls);
    expect(refusal.code).toBe(TLS_ERROR_CODE);
    expect(refusal.message).toMatch(TLS_REFUSAL);
  });
});
