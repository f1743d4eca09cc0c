/**
 * Starting a write server of each runtime over a root (server.ts), as the conformance targets do,
 * and what every case of the write suite asks of them.
 */
import type { ServeOptions } from "@simplehttp/core";
import { expect } from "vitest";
import { BUN, DENO, REPO_ROOT, type SpawnedServer, spawnServer } from "../support/spawn-server.ts";
import type { WriteFixture } from "./fixture.ts";
import { send } from "./http.ts";

const SERVER = `${REPO_ROOT}test/writes/server.ts`;

/** The command that runs server.ts under each runtime (Node needs tsx to load TypeScript). */
const COMMANDS = {
  node: [process.execPath, "--import", "tsx", SERVER],
  bun: [BUN, SERVER],
  deno: [DENO, "run", "-A", SERVER],
} as const;

export type WriteRuntime = keyof typeof COMMANDS;

/**
 * Serves `root` with `runtime`'s adapter and the handler's `write` (and `auth`) options; `stop()`
 * ends it.
 *
 * @example
 * ```ts
 * const server = await startWriteServer("bun", root, { write: { upload: true, delete: true } });
 * ```
 */
export function startWriteServer(
  runtime: WriteRuntime,
  root: string,
  options: Pick<ServeOptions, "write" | "auth">,
): Promise<SpawnedServer> {
  const [command, ...args] = COMMANDS[runtime];
  return spawnServer(command, [...args, root, JSON.stringify(options)]);
}

/** The upload cap of the suite's servers: above every body a case stores, below the one it refuses. */
export const MAX_UPLOAD = 4 * 1024 * 1024;

/** The user who may write to the `publicRead` server. */
export const WRITER = { user: "ana", password: "s3cret" } as const;

/** A fresh root and outside it, and three servers over it. */
export interface WriteTargets extends WriteFixture {
  /** Writes on: `{ upload: true, delete: true, maxUploadSize: MAX_UPLOAD }`. */
  full: SpawnedServer;
  /** Creating only: `{ upload: true }`, where a case's answer depends on the switch. */
  createOnly: SpawnedServer;
  /** Anyone reads, only WRITER writes: `auth` with `publicRead`, and `{ upload: true, delete: true }`. */
  publicRead: SpawnedServer;
}

/** The targets once started (call it inside a test or hook). */
export type Targets = () => WriteTargets;

/** Expects a 4xx: a refusal that is the client's to fix, never a 5xx nor a success. */
export function expectRefused(status: number, what: string): void {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
}

/** Expects `server` to answer a plain read at once, after whatever the case sent it. */
export async function expectServing(server: SpawnedServer): Promise<void> {
  const response = await send(server.port, "GET", "/hello.txt", "", { Connection: "close" });
  expect([response.status, response.body.toString()]).toEqual([200, "hello\n"]);
}
