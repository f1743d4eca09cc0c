/**
 * HTTPS from the command: PEM files given with --tls-cert/--tls-key, or with --tls a certificate
 * made for the run, whose fingerprint the command prints. On every runtime, since each adapter
 * brings its own TLS stack.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fingerprint, type SelfSigned, selfSignedCertificate } from "../src/self-signed.js";
import {
  banner,
  expectUsageError,
  killAll,
  lines,
  plainEnv,
  RUNTIME_NAMES,
  run,
  stop,
  tempSite,
  waitUntil,
} from "./run.ts";

const NOTE = new RegExp(
  String.raw`^Self-signed certificate for localhost, 127\.0\.0\.1, ::1(?:, \S+)* \(this run only\): ` +
    "sha256 Fingerprint=((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$",
  "m",
);

interface Answer {
  status: number;
  body: string;
  peer: X509Certificate;
}

/** GETs `path` over HTTPS from 127.0.0.1, trusting only `ca`; `servername` checks that name instead of the IP. */
function httpsGet(port: number, path: string, ca: string | undefined, servername?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port, path, ca, servername, agent: false, timeout: 5000 },
      (response) => {
        const peer = new X509Certificate((response.socket as TLSSocket).getPeerCertificate().raw);
        let body = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body, peer }));
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("no HTTPS answer within 5 s"))).on("error", reject);
    outgoing.end();
  });
}

let site: ReturnType<typeof tempSite>;
let made: SelfSigned;
beforeAll(async () => {
  site = tempSite({ "a.txt": "over tls\n" });
  made = await selfSignedCertificate(["localhost"], ["127.0.0.1"]);
  writeFileSync(join(site.dir, "cert.pem"), made.cert);
  writeFileSync(join(site.dir, "key.pem"), made.key);
  writeFileSync(join(site.dir, "other-key.pem"), (await selfSignedCertificate(["localhost"], [])).key);
});
afterEach(killAll);
afterAll(() => site?.remove());

describe("the certificate made for --tls", () => {
  it("names localhost and its addresses, and its fingerprint is OpenSSL's SHA-256 one", async () => {
    const cert = new X509Certificate(made.cert);
    expect(cert.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1");
    expect(cert.fingerprint256).toBe(made.fingerprint);
    expect(fingerprint(new Uint8Array([0x0a, 0xff, 0x00]))).toBe("0A:FF:00");
    expect(cert.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
  });
});

describe.each(RUNTIME_NAMES)("on %s", (runtime) => {
  it("--tls-cert and --tls-key serve HTTPS, and the banner says https in Python's shape", async () => {
    const running = run(
      [
        "0",
        "--bind",
        "127.0.0.1",
        "--directory",
        site.dir,
        "--tls-cert",
        join(site.dir, "cert.pem"),
        "--tls-key",
        join(site.dir, "key.pem"),
      ],
      { runtime },
    );
    const { port } = await banner(running);
    expect(lines(running.stdout())[0]).toMatch(
      new RegExp(
        `^Serving HTTPS on 127\\.0\\.0\\.1 port ${port} ` +
          `\\(https://127\\.0\\.0\\.1:${port}/\\) on ${runtime} \\S+ \\.\\.\\.$`,
      ),
    );
    expect(lines(running.stdout())).toHaveLength(1); // files given: no certificate line
    const answer = await httpsGet(port, "/a.txt", made.cert);
    expect([answer.status, answer.body]).toEqual([200, "over tls\n"]);
    expect(answer.peer.fingerprint256).toBe(made.fingerprint);
    await waitUntil(
      running,
      () => (/"GET \/a\.txt HTTP\/1\.1" 200/.test(running.stderr()) ? true : undefined),
      5000,
      "the log line",
    );
    await stop(running);
  });

  it("a key that is not the certificate's is exit 2 with one line", async () => {
    const args = [
      "0",
      "--bind",
      "127.0.0.1",
      "--directory",
      site.dir,
      "--tls-cert",
      join(site.dir, "cert.pem"),
      "--tls-key",
      join(site.dir, "other-key.pem"),
    ];
    await expectUsageError(
      run(args, { runtime }),
      /^simplehttp: error: --tls-key '\S+other-key\.pem' is not the key of --tls-cert '\S+cert\.pem'$/,
    );
  });

  it("--tls alone certifies localhost and the machine's addresses, printing the fingerprint on one line", async () => {
    // All interfaces, with --auth: over HTTPS there is nothing to warn about.
    const running = run(["0", "--directory", site.dir, "--tls", "--auth", "ana:pw", "--quiet"], {
      runtime,
      env: plainEnv(),
    });
    const { scheme, port } = await banner(running);
    expect(scheme).toBe("HTTPS");
    const printed = await waitUntil(running, () => NOTE.exec(running.stdout())?.[1], 5000, "the fingerprint line");
    const first = await httpsGet(port, "/a.txt", undefined).catch((error: Error) => error);
    expect(first).toBeInstanceOf(Error); // not trusted by default: it is self-signed
    // Trust exactly the certificate served, then check it is valid for the name and for the address.
    const peer = await peerCertificate(port);
    expect(peer.fingerprint256).toBe(printed);
    expect(peer.subjectAltName).toMatch(/^DNS:localhost, IP Address:127\.0\.0\.1, IP Address:(::1|0:0:0:0:0:0:0:1)/);
    const byName = await httpsGet(port, "/a.txt", peer.toString(), "localhost");
    expect(byName.status).toBe(401);
    const byAddress = await httpsGet(port, "/a.txt", peer.toString());
    expect(byAddress.status).toBe(401);
    expect(running.stderr()).toBe("");
    await stop(running);
  });
});

/** The certificate a server presents, taken without trusting it. */
function peerCertificate(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port, path: "/", rejectUnauthorized: false, agent: false, timeout: 5000 },
      (response) => {
        resolve(new X509Certificate((response.socket as TLSSocket).getPeerCertificate().raw));
        response.resume();
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("no HTTPS answer within 5 s"))).on("error", reject);
    outgoing.end();
  });
}
