/**
 * A local S3 for the tests: moto's server, started on a free port of 127.0.0.1 and stopped after.
 * Where moto is found: moto-path.ts; the test command's set-up installs it when it is nowhere
 * (moto-install.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { findMotoServer } from "./moto-path.ts";

export interface Moto {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  endpoint: string;
  pid: number;
  /** Turns moto's signature checks on (`INITIAL_NO_AUTH_ACTION_COUNT` 0) or off again. */
  enforceAuth(on: boolean): Promise<void>;
  /** SIGSTOP: connections are still accepted (by the system) but nothing answers: a store that hangs. */
  freeze(): void;
  /** SIGCONT after {@link freeze}: moto answers again, what waited first. */
  thaw(): void;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

export { MOTO_CREDENTIALS, MOTO_REGION } from "./moto-credentials.ts";

const START_TIMEOUT_MS = 20_000;

/** Motos still running, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** The path of `moto_server`; throws saying how to get one when there is none. */
export function motoServerPath(): string {
  const { path, looked } = findMotoServer();
  if (path !== undefined) return path;
  throw new Error(
    `moto_server was not found (looked in ${looked.join(", ")}). The S3 tests run against a local moto, ` +
      "which the test command's set-up installs: npx tsx test/setup/system-packages.ts",
  );
}

/**
 * Starts moto on 127.0.0.1 and resolves once it listens: on a free port, or on `port` (to bring
 * back a store a test stopped, where its clients look for it).
 */
export function startMoto(port = 0): Promise<Moto> {
  const command = motoServerPath();
  // Port 0: the system picks, and Werkzeug prints the one it got; no race for a "free" port.
  const child = spawn(command, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("close", () => {
      live.delete(child);
      resolve();
    }),
  );
  return new Promise<Moto>((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${command}: ${why}\n${output}`));
    };
    const timer = setTimeout(() => fail(`not listening within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once("error", (error) => fail(error.message));
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal}) before listening`));
    const onData = (text: string): void => {
      output += text;
      const port = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      // Keep draining moto's request log, or a full pipe would stall it.
      child.stdout?.resume();
      child.stderr?.resume();
      const endpoint = `http://127.0.0.1:${port}`;
      resolve({
        endpoint,
        pid: child.pid ?? -1,
        enforceAuth: (on) => resetAuth(endpoint, on),
        freeze: () => child.kill("SIGSTOP"),
        thaw: () => child.kill("SIGCONT"),
        stop: () => stop(child, exited),
      });
    };
    child.stdout?.setEncoding("utf8").on("data", onData);
    child.stderr?.setEncoding("utf8").on("data", onData);
  });
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGCONT"); // a frozen moto would not act on SIGTERM until thawed
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

// moto's own API: after this many more requests, every request must be signed by a known key.
async function resetAuth(endpoint: string, on: boolean): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset-auth`, {
    method: "POST",
    body: on ? "0" : "inf",
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`moto reset-auth answered ${response.status}`);
  await response.body?.cancel();
}
