/**
 * @simplehttp/deno over HTTPS, run by Deno (test/support/tls-serve.ts, the built adapter) and
 * reached from Node: what it negotiates, and the one-line refusal of an unusable certificate or key.
 * Deno.serve agrees to h2 by ALPN, and to http/1.1 for a client that offers only that.
 */
import { describe, expect, it } from "vitest";
import { rawGet } from "../../../test/support/raw-http.ts";
import { testCertificate, unrelatedKey } from "../../../test/support/test-certificate.ts";
import { H2Client, tlsConnection } from "../../../test/support/tls-clients.ts";
import {
  servedOverTls,
  TLS_ERROR_CODE,
  TLS_REFUSAL,
  tlsRefusal,
  unusableTlsCases,
} from "../../../test/support/tls-launch.ts";

const { cert: ca } = testCertificate();
const tls = servedOverTls("deno");

describe("HTTPS on Deno", () => {
  it("gives an https URL, agrees to h2 for a client offering it, to http/1.1 for one offering only that", async () => {
    expect(tls.server.url).toBe(`https://127.0.0.1:${tls.server.port}/`);
    const both = await tlsConnection(tls.server.port, ca, ["h2", "http/1.1"]);
    const h1Only = await tlsConnection(tls.server.port, ca, ["http/1.1"]);
    both.destroy();
    h1Only.destroy();
    expect([both.alpnProtocol, h1Only.alpnProtocol]).toEqual(["h2", "http/1.1"]);
    const h2 = new H2Client(tls.server.url, ca);
    try {
      const response = await h2.request("/hello.txt");
      expect([h2.protocol, response.status, response.body.toString()]).toEqual(["h2", 200, "hello\n"]);
    } finally {
      h2.close();
    }
    const response = await rawGet(tls.server.port, "/hello.txt", {}, { tls: { ca } });
    expect([response.status, response.body.toString()]).toEqual([200, "hello\n"]);
  });

  it.each(unusableTlsCases(testCertificate(), unrelatedKey()))(
    "rejects $what with one line and code ERR_SIMPLEHTTP_TLS",
    async ({ tls: pair }) => {
      const refusal = await tlsRefusal("deno", pair);
      expect(refusal.code).toBe(TLS_ERROR_CODE);
      expect(refusal.message).toMatch(TLS_REFUSAL);
    },
  );
});
