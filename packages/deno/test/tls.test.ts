/**
 * @simplehttp/deno over HTTPS, run by Deno (test/support/tls-serve.ts, the built adapter) and
 * reached from Node: what it negotiates, and the one-line refusal of an unusable certificate or key.
 * Deno.serve agrees to h2 by ALPN, and to http/1.1 for a client that offers only that.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpawnedServer } from "../../../test/support/spawn-server.ts";
import { testCertificate, unrelatedKey } from "../../../test/support/test-certificate.ts";
import { startTlsServer, TLS_ERROR_CODE, TLS_REFUSAL, tlsRefusal, unusableTlsCases } from "../../../test/support/tls-launch.ts";
import { H2Client } from "../../../test/support/tls-clients.ts";
import { rawGet } from "../../node/test/raw-http.js";

const { cert: ca } = testCertificate();
let root: string;
let server: SpawnedServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "simplehttp-deno-tls-"));
  writeFileSync(join(root, "hello.txt"), "hello\n");
  server = await startTlsServer("deno", root);
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

describe("HTTPS on Deno", () => {
  it("gives an https URL, agrees to h2 for a client that offers it and to http/1.1 for one that offers only that", async () => {
    expect(server.url).toBe(`https://127.0.0.1:${server.port}/`);
    const both = await tlsConnection(["h2", "http/1.1"]);
    const h1Only = await tlsConnection(["http/1.1"]);
    both.destroy();
    h1Only.destroy();
    expect([both.alpnProtocol, h1Only.alpnProtocol]).toEqual(["h2", "http/1.1"]);
    const h2 = new H2Client(server.url, ca);
    try {
      const response = await h2.request("/hello.txt");
      expect([h2.protocol, response.status, response.body.toString()]).toEqual(["h2", 200, "hello\n"]);
    } finally {
      h2.close();
    }
    const response = await rawGet(server.port, "/hello.txt", {}, { tls: { ca } });
    expect([response.status, response.body.toString()]).toEqual([200, "hello\n"]);
  });

  it.each(unusableTlsCases(testCertificate(), unrelatedKey()))("rejects $what with one line and code ERR_SIMPLEHTTP_TLS", async ({ tls }) => {
    const refusal = await tlsRefusal("deno", tls);
    expect(refusal.code).toBe(TLS_ERROR_CODE);
    expect(refusal.message).toMatch(TLS_REFUSAL);
  });
});
