/**
 * The check every adapter runs on `ServeOptions.tls` before its server sees it. This file is the
 * same in packages/node, packages/bun and packages/deno (a test compares them): the core may not
 * import node:crypto, and each runtime's own TLS stack words its refusals differently
 * ("error:0480006C:PEM routines::no start line" on Node, "No certificates found in certificate
 * data" on Deno), without saying whether the certificate or the key is at fault.
 *
 * @module
 */
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";

/** A certificate chain and its private key, PEM text (ServeOptions.tls). */
export interface TlsFiles {
  cert: string;
  key: string;
}

/** The `code` of the error serve() rejects with when the certificate or key is unusable. */
export const TLS_ERROR_CODE = "ERR_SIMPLEHTTP_TLS";

/**
 * Throws an Error with a one-line message (and `code` {@link TLS_ERROR_CODE}) when `cert` is not a
 * PEM certificate, `key` not an unencrypted PEM private key, or the key not the certificate's
 * (checked against the first certificate of the chain, the server's own).
 */
export function checkTls({ cert, key }: TlsFiles): void {
  let certificate: X509Certificate;
  try {
    if (!cert.includes("-----BEGIN CERTIFICATE-----")) throw new Error("no PEM block");
    certificate = new X509Certificate(cert);
  } catch {
    throw tlsError("TLS certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
  }
  let privateKey: KeyObject;
  try {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new Error("no PEM block");
    privateKey = createPrivateKey(key);
  } catch {
    throw tlsError("TLS key is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)");
  }
  if (!certificate.checkPrivateKey(privateKey)) throw tlsError("TLS key does not match the certificate");
}

/** An Error with `message` on one line (the CLI prints it as is) and `code` {@link TLS_ERROR_CODE}. */
export function tlsError(message: string): Error {
  return Object.assign(new Error(message.replace(/\s*\n\s*/g, " ")), { code: TLS_ERROR_CODE });
}
