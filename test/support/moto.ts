/**
 * A local S3 for the tests: moto's server, started on a free port of 127.0.0.1 and stopped after.
 *
 * moto is found where it is installed, never on the PATH: `moto_server` in a pyenv Python
 * (`~/.pyenv/versions/<v>/bin/`, where this kind of machine has moto 5.2), or `MOTO_SERVER` when
 * set. Debian 12 has no `python3-moto` package (`apt-cache policy python3-moto` finds none), so
 * there is no system package to fall back to: a missing moto fails the tests that need it with
 * how to install it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { executable } from "../setup/system-packages.ts";

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
  const fromEnv = process.env.MOTO_SERVER;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new Error(`MOTO_SERVER=${fromEnv} is not an executable file`);
  }
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  let found: string[] = [];
  try {
    found = readdirSync(versions)
      .map((version) => join(versions, version, "bin", "moto_server"))
      .filter(executable);
  } catch {
    // no pyenv
  }
  // The newest Python first (3.13 before 3.9: compare the numbers, not the text).
  const byVersion = (path: string): number[] => (/versions\/(\d+)\.(\d+)\.(\d+)/.exec(path) ?? []).slice(1).map(Number);
  found.sort((a, b) => {
    const [x, y] = [byVersion(a), byVersion(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  });
  const path = found[0];
  if (path !== undefined) return path;
  throw new Error(
    `moto_server was not found under ${versions}/*/bin/ (nor set in MOTO_SERVER). ` +
      "The S3 tests run against a local moto: " +
      "install it into a Python with `python3 -m pip install 'moto[server]==5.2.*'` " +
      "and set MOTO_SERVER to its moto_server (Debian 12 has no python3-moto package).",
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
