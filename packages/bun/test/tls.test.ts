/**
 * @simplehttp/bun over HTTPS, run by Bun (test/support/tls-serve.ts, the built adapter) and
 * reached from Node: what it negotiates, and the one-line refusal of an unusable certificate or key.
 * Bun 1.4.5's Bun.serve agrees to no ALPN protocol over TLS unless its experimental `http2` option
 * is on, which the adapter leaves off: every client gets HTTP/1.1, an HTTP/2-only client none.
 */
import { describe, expect, it } from "vitest";
import { rawGet } from "../../../test/support/raw-http.ts";
import { testCertificate, unrelatedKey } from "../../../test/support/test-certificate.ts";
import { tlsConnection } from "../../../test/support/tls-clients.ts";
import {
  servedOverTls,
  TLS_ERROR_CODE,
  TLS_REFUSAL,
  tlsRefusal,
  unusableTlsCases,
} from "../../../test/support/tls-launch.ts";

const { cert: ca } = testCertificate();
const tls = servedOverTls("bun");

describe("HTTPS on Bun", () => {
  it("gives an https URL, agrees to no ALPN protocol when offered h2 and http/1.1, and serves HTTP/1.1", async () => {
    expect(tls.server.url).toBe(`https://127.0.0.1:${tls.server.port}/`);
    const both = await tlsConnection(tls.server.port, ca, ["h2", "http/1.1"]);
    const h1Only = await tlsConnection(tls.server.port, ca, ["http/1.1"]);
    both.destroy();
    h1Only.destroy();
    expect([both.alpnProtocol, h1Only.alpnProtocol]).toEqual([false, false]);
    const response = await rawGet(tls.server.port, "/hello.txt", {}, { tls: { ca } });
    expect([response.status, response.body.toString()]).toEqual([200, "hello\n"]);
  });

  it.each(unusableTlsCases(testCertificate(), unrelatedKey()))(
    "rejects $what with one line and code ERR_SIMPLEHTTP_TLS",
    async ({ tls: pair }) => {
      const refusal = await tlsRefusal("bun", pair);
      expect(refusal.code).toBe(TLS_ERROR_CODE);
      expect(refusal.message).toMatch(TLS_REFUSAL);
    },
  );
});
