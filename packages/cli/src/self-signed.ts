/**
 * `--tls` without files: a self-signed certificate made at start-up, held in memory for this run
 * and never written anywhere. Loaded only when asked for. WebCrypto, which Node, Bun and Deno
 * all have, makes the key and the signature; the certificate around them is a few hundred bytes
 * of DER (RFC 5280 §4.1) written here (der.ts), as an X.509 library would, without parsing one
 * at start-up (docs/cli-tls.md says why, and what it cost).
 *
 * @module
 */
import type { webcrypto } from "node:crypto";
import { bitString, integer, octetString, oid, sequence, set, TRUE, time, tlv, utf8String } from "./der.js";

/** A certificate and its key, in PEM, and what a person checks against a browser's warning. */
export interface SelfSigned {
  cert: string;
  key: string;
  /** SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` writes it (`AB:CD:…`). */
  fingerprint: string;
}

// ECDSA P-256: made in milliseconds, and accepted by every TLS stack the runtimes use.
const KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNATURE = { name: "ECDSA", hash: "SHA-256" } as const;
// ecdsa-with-SHA256, its parameters absent (RFC 5758 §3.2).
const ECDSA_WITH_SHA256 = sequence(oid("1.2.840.10045.4.3.2"));
const DAY = 24 * 60 * 60 * 1000;
const encoder = new TextEncoder();

/**
 * Makes a certificate for `dnsNames` and `ipAddresses` (its subjectAltName, which browsers
 * check), valid from an hour ago (for clocks a little behind) for 397 days (under the 398 days
 * some clients allow any server certificate).
 *
 * @example
 * ```ts
 * const { cert, key, fingerprint } = await selfSignedCertificate(["localhost"], ["127.0.0.1", "::1"]);
 * ```
 */
export async function selfSignedCertificate(
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
): Promise<SelfSigned> {
  const keys = await crypto.subtle.generateKey(KEY, true, ["sign", "verify"]);
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive serial number (RFC 5280 §4.1.2.2)
  const now = Date.now();
  const name = sequence(
    set(sequence(oid("2.5.4.3"), utf8String(dnsNames[0] ?? "localhost"))), // commonName
    set(sequence(oid("2.5.4.10"), utf8String("simplehttp (self-signed, this run only)"))), // organizationName
  );
  const tbs = sequence(
    tlv(0xa0, integer(new Uint8Array([2]))), // version [0]: v3, which has extensions
    integer(serial),
    ECDSA_WITH_SHA256,
    name, // issuer: itself
    sequence(time(new Date(now - 60 * 60 * 1000)), time(new Date(now + 397 * DAY))),
    name,
    new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey)),
    tlv(0xa3, sequence(...(await extensions(keys.publicKey, dnsNames, ipAddresses)))),
  );
  const signature = new Uint8Array(await crypto.subtle.sign(SIGNATURE, keys.privateKey, tbs));
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(ecdsaSigValue(signature)));
  return {
    cert: pem("CERTIFICATE", der),
    key: pem("PRIVATE KEY", new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey))),
    fingerprint: fingerprint(new Uint8Array(await crypto.subtle.digest("SHA-256", der))),
  };
}

/**
 * A server certificate's extensions (RFC 5280 §4.2): not a CA (critical), for signatures
 * (critical), for TLS servers, its names, and its key's identifier.
 */
async function extensions(
  publicKey: webcrypto.CryptoKey,
  dnsNames: readonly string[],
  ipAddresses: readonly string[],
): Promise<Uint8Array[]> {
  // The key identifier: SHA-1 of the subjectPublicKey bits, method (1) of RFC 5280 §4.2.1.2.
  const keyBits = new Uint8Array(await crypto.subtle.exportKey("raw", publicKey));
  const keyId = new Uint8Array(await crypto.subtle.digest("SHA-1", keyBits));
  return [
    extension("2.5.29.19", true, sequence()), // basicConstraints: cA FALSE, the default, left out
    extension("2.5.29.15", true, tlv(0x03, new Uint8Array([0x07, 0x80]))), // keyUsage: digitalSignature
    extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
    extension(
      "2.5.29.17", // subjectAltName: dNSName [2] (IA5String), iPAddress [7] (the address's bytes)
      false,
      sequence(
        ...dnsNames.map((dns) => tlv(0x82, encoder.encode(dns))),
        ...ipAddresses.map((ip) => tlv(0x87, ipBytes(ip))),
      ),
    ),
    extension("2.5.29.14", false, octetString(keyId)), // subjectKeyIdentifier
  ];
}

/** One Extension (RFC 5280 §4.1): its id, `critical` when it is (FALSE is the default, left out), its DER value. */
function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(id), TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

/**
 * WebCrypto's ECDSA signature (r then s, 32 bytes each: IEEE P1363) as X.509 carries it, the
 * DER `Ecdsa-Sig-Value` SEQUENCE of the two INTEGERs (RFC 3279 §2.2.3).
 */
function ecdsaSigValue(signature: Uint8Array): Uint8Array {
  const half = signature.length / 2;
  return sequence(integer(signature.subarray(0, half)), integer(signature.subarray(half)));
}

/**
 * An address's bytes, as an iPAddress name holds them (RFC 5280 §4.2.1.6): 4 for IPv4, 16 for
 * IPv6 (`::` for the zeros it stands for, a dotted IPv4 tail as the last 4 bytes).
 *
 * @example
 * ```ts
 * ipBytes("::1"); // Uint8Array [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
 * ```
 */
export function ipBytes(address: string): Uint8Array {
  if (!address.includes(":")) return new Uint8Array(address.split(".").map(Number));
  const words = (part: string): number[] => {
    if (part === "") return [];
    const groups = part.split(":");
    const last = groups.at(-1) ?? "";
    if (!last.includes(".")) return groups.map((group) => Number.parseInt(group, 16));
    const [a = 0, b = 0, c = 0, d = 0] = last.split(".").map(Number);
    return [...groups.slice(0, -1).map((group) => Number.parseInt(group, 16)), a * 256 + b, c * 256 + d];
  };
  const [head = "", tail] = address.split("::");
  const before = words(head);
  const after = tail === undefined ? [] : words(tail);
  const all = [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
  return new Uint8Array(all.flatMap((word) => [word >> 8, word & 0xff]));
}

/** `der` in PEM (RFC 7468 §2): base64 in lines of 64 between the label's lines. */
function pem(label: string, der: Uint8Array): string {
  const base64 = btoa(Array.from(der, (byte) => String.fromCharCode(byte)).join(""));
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Bytes as upper-case hex pairs joined by colons, as OpenSSL prints fingerprints. */
export function fingerprint(digest: Uint8Array): string {
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0").toUpperCase()).join(":");
}
