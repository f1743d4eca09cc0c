/**
 * HTTPS for the command: PEM files named by `--tls-cert` and `--tls-key`, or with `--tls` alone a
 * certificate made for this run.
 *
 * @module
 */
import type { KeyObject, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { externalAddresses, type Interfaces } from "./addresses.js";
import { fileProblem } from "./auth-args.js";
import { quoted, UsageError } from "./errors.js";

/** What `serve({ tls })` takes, and the line to print about it, if any. */
export interface Tls {
  cert: string;
  key: string;
  /** For a made certificate: its names and fingerprint, one line. */
  note: string | undefined;
}

/**
 * Reads `--tls-cert` and `--tls-key` and checks them as a pair: a missing, unreadable or non-PEM
 * file, or a key that is not the certificate's, is a {@linkcode UsageError} naming the flag at
 * fault (each runtime's own TLS refuses such files too, but without saying which one).
 */
export async function readTlsFiles(certPath: string, keyPath: string): Promise<Tls> {
  const cert = await readPem(
    "--tls-cert",
    certPath,
    /-----BEGIN CERTIFICATE-----/,
    "a PEM certificate (-----BEGIN CERTIFICATE-----)",
  );
  const key = await readPem(
    "--tls-key",
    keyPath,
    /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/,
    "a PEM private key (-----BEGIN PRIVATE KEY-----)",
  );
  // node:crypto only for files given: Deno takes some 35 ms to load it, which --tls alone never needs.
  const { createPrivateKey, X509Certificate } = await import("node:crypto");
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new UsageError(`--tls-cert ${quoted(certPath)} holds no certificate that can be read`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new UsageError(`--tls-key ${quoted(keyPath)} holds no unencrypted private key that can be read`);
  }
  // The first certificate of a chain is the server's own.
  if (!certificate.checkPrivateKey(privateKey))
    throw new UsageError(`--tls-key ${quoted(keyPath)} is not the key of --tls-cert ${quoted(certPath)}`);
  return { cert, key, note: undefined };
}

async function readPem(flag: string, path: string, marker: RegExp, expected: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${flag} ${quoted(path)}: ${fileProblem(error)}`);
  }
  if (!marker.test(text)) throw new UsageError(`${flag} ${quoted(path)} is not ${expected}`);
  return text;
}

/**
 * Makes a certificate for `localhost`, 127.0.0.1, ::1 and the machine's own addresses, and the
 * line that tells its SHA-256 fingerprint (to compare with what a browser's warning shows).
 */
export async function makeSelfSigned(interfaces: Interfaces): Promise<Tls> {
  const { selfSignedCertificate } = await import("./self-signed.js");
  const ips = ["127.0.0.1", "::1", ...externalAddresses(interfaces, true)];
  const made = await selfSignedCertificate(["localhost"], ips);
  const names = ["localhost", ...ips].join(", ");
  return {
    cert: made.cert,
    key: made.key,
    note: `Self-signed certificate for ${names} (this run only): sha256 Fingerprint=${made.fingerprint}`,
  };
}
