/**
 * The DER that the --tls certificate is written in (der.ts), and the addresses it names: checked
 * against X.690's rules and against Node's own X.509 parser, without a server.
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { integer, oid, time, tlv } from "../src/der.js";
import { ipBytes, selfSignedCertificate } from "../src/self-signed.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("DER", () => {
  it("writes a length of 128 bytes or more in the long form", () => {
    expect(hex(tlv(0x04, new Uint8Array(127))).slice(0, 4)).toBe("047f");
    expect(hex(tlv(0x04, new Uint8Array(128))).slice(0, 6)).toBe("048180");
    expect(hex(tlv(0x04, new Uint8Array(300))).slice(0, 8)).toBe("0482012c");
  });

  it("writes an integer in its fewest bytes, with a zero before a high bit", () => {
    expect(hex(integer(new Uint8Array([0, 0, 0x7f])))).toBe("02017f");
    expect(hex(integer(new Uint8Array([0, 0x80])))).toBe("02020080");
    expect(hex(integer(new Uint8Array([0xff, 1])))).toBe("020300ff01");
    expect(hex(integer(new Uint8Array([0, 0])))).toBe("020100");
  });

  it("writes an object identifier's arcs in base 128", () => {
    expect(hex(oid("2.5.29.17"))).toBe("0603551d11");
    expect(hex(oid("1.2.840.10045.4.3.2"))).toBe("06082a8648ce3d040302");
  });

  it("writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)", () => {
    expect(
      Buffer.from(time(new Date("2049-12-31T23:59:59.999Z")))
        .subarray(2)
        .toString(),
    ).toBe("491231235959Z");
    expect(time(new Date("2049-12-31T23:59:59Z"))[0]).toBe(0x17);
    expect(
      Buffer.from(time(new Date("2050-01-01T00:00:00Z")))
        .subarray(2)
        .toString(),
    ).toBe("20500101000000Z");
    expect(time(new Date("2050-01-01T00:00:00Z"))[0]).toBe(0x18);
  });
});

describe("the addresses a certificate names", () => {
  it("takes IPv4, IPv6 with :: anywhere, and an IPv4 tail", () => {
    expect([...ipBytes("192.168.1.20")]).toEqual([192, 168, 1, 20]);
    expect(hex(ipBytes("::1"))).toBe(`${"0".repeat(30)}01`);
    expect(hex(ipBytes("::"))).toBe("0".repeat(32));
    expect(hex(ipBytes("fe80::"))).toBe(`fe80${"0".repeat(28)}`);
    expect(hex(ipBytes("2001:db8:0:1:2:3:4:5"))).toBe("20010db8000000010002000300040005");
    expect(hex(ipBytes("::ffff:10.0.0.1"))).toBe(`${"0".repeat(20)}ffff0a000001`);
  });

  it("are the ones Node reads back from the certificate", async () => {
    const made = await selfSignedCertificate(["localhost"], ["127.0.0.1", "::1", "fd12:3456::7", "::ffff:1.2.3.4"]);
    const cert = new X509Certificate(made.cert);
    expect(cert.subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, " +
        "IP Address:FD12:3456:0:0:0:0:0:7, IP Address:0:0:0:0:0:FFFF:102:304",
    );
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
  });
});
