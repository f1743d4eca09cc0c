/** Running tls-serve.ts under Node, Bun or Deno from a test: a server over HTTPS, or the refusal. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { BUN, DENO, REPO_ROOT, type SpawnedServer, spawnServer } from "./spawn-server.ts";
import { type TestCertificate, TLS_ENV, tlsEnvironment } from "./test-certificate.ts";

const SCRIPT = `${REPO_ROOT}test/support/tls-serve.ts`;

export const TLS_SERVE_COMMANDS = {
  node: [process.execPath, "--import", "tsx", SCRIPT],
  bun: [BUN, SCRIPT],
  deno: [DENO, "run", "-A", SCRIPT],
} as const;

export type Runtime = keyof typeof TLS_SERVE_COMMANDS;

/** `runtime`'s serve() over HTTPS with the test certificate, serving `root`. */
export function startTlsServer(runtime: Runtime, root: string): Promise<SpawnedServer> {
  const [command, ...args] = TLS_SERVE_COMMANDS[runtime];
  return spawnServer(command, [...args, root], { env: { ...process.env, ...tlsEnvironment() } });
}

/**
 * Registers hooks that start `runtime`'s serve() over HTTPS on a folder holding `hello.txt`
 * ("hello\n") before the suite and stop it after; the getter works from `beforeAll` on.
 */
export function servedOverTls(runtime: Runtime): { readonly server: SpawnedServer } {
  let root: string | undefined;
  let server: SpawnedServer | undefined;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), `simplehttp-${runtime}-tls-`));
    writeFileSync(join(root, "hello.txt"), "hello\n");
    server = await startTlsServer(runtime, root);
  });
  afterAll(async () => {
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });
  return {
    get server() {
      if (!server) throw new Error(`${runtime} is started over HTTPS from beforeAll on`);
      return server;
    },
  };
}

/** What `runtime`'s serve() rejects with for `tls` (the process must exit within `timeoutMs`). */
export function tlsRefusal(
  runtime: Runtime,
  tls: TestCertificate,
  timeoutMs = 20_000,
): Promise<{ message: string; code: string }> {
  const [command, ...args] = TLS_SERVE_COMMANDS[runtime];
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args, REPO_ROOT],
      { cwd: REPO_ROOT, env: { ...process.env, [TLS_ENV]: JSON.stringify(tls) }, timeout: timeoutMs },
      (_error, stdout, stderr) => {
        const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
        const parsed =
          line === undefined ? undefined : (JSON.parse(line) as { error?: { message: string; code: string } });
        if (parsed?.error) resolve(parsed.error);
        else reject(new Error(`${runtime}: serve() did not reject: ${stdout} ${stderr}`));
      },
    );
  });
}

/** A certificate or key every adapter's serve() must refuse. */
export interface UnusableTls {
  what: string;
  tls: TestCertificate;
}

/** Pairs no runtime's TLS can use: serve() rejects each with one line and `code` TLS_ERROR_CODE. */
export function unusableTlsCases(good: TestCertificate, otherKey: string): UnusableTls[] {
  return [
    { what: "a certificate that is not PEM", tls: { cert: "not a certificate", key: good.key } },
    {
      what: "a PEM certificate block holding no certificate",
      tls: { cert: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", key: good.key },
    },
    { what: "a key that is not PEM", tls: { cert: good.cert, key: "not a key" } },
    { what: "the certificate given as the key", tls: { cert: good.cert, key: good.cert } },
    { what: "a key that is not the certificate's", tls: { cert: good.cert, key: otherKey } },
  ];
}

/** The one line those refusals start with (core's tlsRefused). */
export const TLS_REFUSAL = /^TLS certificate or key refused: [^\n]+$/;

export { TLS_ERROR_CODE } from "@simplehttp/core";
