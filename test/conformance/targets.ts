/** Starting each target of the conformance suite. */
import { mkdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeFixture } from "../support/fixture-disk.ts";
import { BUN, DENO, REPO_ROOT, spawnServer } from "../support/spawn-server.ts";
import { tlsEnvironment } from "../support/test-certificate.ts";
import type { Target } from "./suite.ts";

const SERVER = `${REPO_ROOT}test/conformance/server.ts`;

/** The command that runs server.ts under each runtime (Node needs tsx to load TypeScript). */
export const RUNTIME_COMMANDS = {
  node: [process.execPath, "--import", "tsx", SERVER],
  bun: [BUN, SERVER],
  deno: [DENO, "run", "-A", SERVER],
} as const;

/**
 * Writes the fixture to a fresh directory and serves it with `runtime`; stopping removes both.
 * With `tls`, over HTTPS with this process's test certificate (test-certificate.ts); with `site`,
 * with the site options (SITE_OPTIONS) instead of the plain ones.
 */
export async function startDiskTarget(
  runtime: keyof typeof RUNTIME_COMMANDS,
  { tls = false, site = false } = {},
): Promise<Target & { pid: number }> {
  const fixture = await writeFixture();
  const [command, ...args] = RUNTIME_COMMANDS[runtime];
  const server = await spawnServer(command, [...args, fixture.root, ...(site ? ["site"] : [])], {
    env: tls ? { ...process.env, ...tlsEnvironment() } : process.env,
  });
  return {
    url: server.url,
    port: server.port,
    root: fixture.root,
    pid: server.pid,
    async writeFile(path, content, mtimeMs) {
      const file = join(fixture.root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      if (mtimeMs !== undefined) utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
    },
    async removeFile(path) {
      unlinkSync(join(fixture.root, path));
    },
    async stop() {
      await server.stop();
      rmSync(fixture.base, { recursive: true, force: true });
    },
  };
}
