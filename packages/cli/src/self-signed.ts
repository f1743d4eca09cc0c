/**
 * `--tls` without files: a self-signed certificate made at start-up, held in memory for this run
 * and never written anywhere. Loaded only when asked for, so plain runs never parse the X.509
 * library. Built on WebCrypto through @peculiar/x509, which works alike on Node, Bun and Deno
 * (docs/cli-tls.md says why this library).
 *
 * @module
 */
import * as x509 from "@peculiar/x509";

/** A certificate and its key, in PEM, and what a person checks against a browser's warning. */
export interface SelfSigned {
  cert: string;
  key: string;
  /** SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` writes it (`AB:CD:…`). */
  fingerprint: string;
}

// ECDSA P-256: made in milliseconds, and accepted by every TLS stack the runtimes use.
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 60 * 60 * 1000;

/**
 * Makes a certificate for `dnsNames` and `ipAddresses` (its subjectAltName, which browsers
 * check), valid from an hour ago (for clocks a little behind) for 397 days (under the 398 days
 * some clients allow any server certificate).
 */
export async function selfSignedCertificate(
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
): Promise<SelfSigned> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive serial number (RFC 5280 §4.1.2.2)
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Array.from(serial, (byte) => byte.toString(16).padStart(2, "0")).join(""),
    name: [{ CN: [dnsNames[0] ?? "localhost"] }, { O: ["simplehttp (self-signed, this run only)"] }],
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + 397 * DAY),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...ipAddresses.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    cert: cert.toString("pem"),
    key: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
    fingerprint: fingerprint(new Uint8Array(await crypto.subtle.digest("SHA-256", cert.rawData))),
  };
}

/** Bytes as upper-case hex pairs joined by colons, as OpenSSL prints fingerprints. */
export function fingerprint(digest: Uint8Array): string {
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0").toUpperCase()).join(":");
}
