/**
 * Where the S3 tests find moto's server (`moto_server`), in this order:
 *
 * 1. `MOTO_SERVER`, when set: the one you chose (a set path that is no program is an error);
 * 2. the virtual environment the test command's set-up makes (`.cache/moto-venv`, ignored by git;
 *    see moto-install.ts);
 * 3. a pyenv Python's (`~/.pyenv/versions/<v>/bin/`), the newest Python first, where this kind of
 *    machine has moto 5.2.
 *
 * Never the PATH: a `moto_server` that happens to be there may be any version. Debian 12 has no
 * `python3-moto` package (`apt-cache policy python3-moto` finds none), so there is no system
 * package to fall back to.
 */
import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { executable } from "../setup/apt.ts";

/** The virtual environment the set-up installs moto into. */
export const MOTO_VENV = fileURLToPath(new URL("../../.cache/moto-venv", import.meta.url));

/** The environment variables the search reads. */
export type SearchEnv = Readonly<Record<string, string | undefined>>;

/** What the search found, or `undefined`, and where it looked, for a message. */
export interface MotoSearch {
  path: string | undefined;
  looked: string[];
}

/**
 * Looks for `moto_server` where the module comment says, in that order.
 *
 * @param env where `MOTO_SERVER`, `PYENV_ROOT` and `HOME` come from
 * @param venv the set-up's virtual environment
 * @example
 * ```ts
 * const { path, looked } = findMotoServer();
 * ```
 */
export function findMotoServer(env: SearchEnv = process.env, venv = MOTO_VENV): MotoSearch {
  const fromEnv = env.MOTO_SERVER;
  if (fromEnv) {
    if (executable(fromEnv)) return { path: fromEnv, looked: ["MOTO_SERVER"] };
    throw new Error(`MOTO_SERVER=${fromEnv} is not an executable file`);
  }
  const inVenv = join(venv, "bin", "moto_server");
  const versions = join(env.PYENV_ROOT ?? join(env.HOME ?? homedir(), ".pyenv"), "versions");
  const looked = ["MOTO_SERVER", inVenv, join(versions, "*", "bin", "moto_server")];
  if (executable(inVenv)) return { path: inVenv, looked };
  return { path: newestPyenv(versions), looked };
}

/** The `moto_server` of the newest pyenv Python that has one (3.13 before 3.9: numbers, not text). */
function newestPyenv(versions: string): string | undefined {
  let found: string[] = [];
  try {
    found = readdirSync(versions)
      .map((version) => join(versions, version, "bin", "moto_server"))
      .filter(executable);
  } catch {
    return undefined; // no pyenv
  }
  const byVersion = (path: string): number[] => (/versions\/(\d+)\.(\d+)\.(\d+)/.exec(path) ?? []).slice(1).map(Number);
  found.sort((a, b) => {
    const [x, y] = [byVersion(a), byVersion(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  });
  return found[0];
}
