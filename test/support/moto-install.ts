/**
 * Installing moto for the S3 tests where none is found (moto-path.ts): a virtual environment at
 * `.cache/moto-venv` (ignored by git), made with `python3 -m venv`, and `pip install
 * 'moto[server]==5.2.*'` into it, as the test command's set-up does before Chromium is needed.
 * Debian's Python keeps `venv`'s pip in the `python3-venv` package: it is installed with apt-get
 * when `venv` says ensurepip is missing. Whatever cannot be done is one line saying what.
 *
 * Run alone: `npx tsx test/support/moto-install.ts [VENV]` (the tests name another VENV).
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { aptInstall, executable } from "../setup/apt.ts";
import { findMotoServer, MOTO_VENV, type SearchEnv } from "./moto-path.ts";

/** The moto the S3 tests are written against. */
export const MOTO_REQUIREMENT = "moto[server]==5.2.*";

/** The Python Debian installs, whose `venv` needs `python3-venv` for pip. */
const DEBIAN_PYTHON = "/usr/bin/python3";

export interface ProvideOptions {
  /** Where `MOTO_SERVER`, `HOME`, `PYENV_ROOT` and `PATH` come from; pip runs with it too. */
  env?: SearchEnv;
  /** The virtual environment to make. */
  venv?: string;
  /** Where progress goes. */
  log?: (line: string) => void;
}

/**
 * Makes sure the S3 tests will find a moto: nothing to do when one is found, else installs one
 * into `venv`. Returns `undefined` when there is a moto, else one line saying why there is none.
 *
 * @example
 * ```ts
 * const failed = provideMoto();
 * if (failed !== undefined) throw new Error(failed);
 * ```
 */
export function provideMoto(options: ProvideOptions = {}): string | undefined {
  const { env = process.env, venv = MOTO_VENV, log = console.log } = options;
  let search: ReturnType<typeof findMotoServer>;
  try {
    search = findMotoServer(env, venv);
  } catch (error) {
    return `simplehttp tests: ${(error as Error).message}`;
  }
  if (search.path !== undefined) return undefined;
  const fail = (why: string): string =>
    `simplehttp tests: moto (the S3 tests' local store) is not in ${search.looked.join(", ")}, and ${why}`;
  const python = pythonOn(env.PATH) ?? (executable(DEBIAN_PYTHON) ? DEBIAN_PYTHON : undefined);
  if (python === undefined) return fail(`there is no python3 to install it with (apt-get install python3-venv)`);
  log(`Installing moto for the S3 tests: ${python} -m venv ${venv}, then pip install '${MOTO_REQUIREMENT}'`);
  let made = run(python, ["-m", "venv", venv], env);
  if (!made.ok && made.output.includes("ensurepip") && python === DEBIAN_PYTHON) {
    const refused = aptInstall(["python3-venv"]);
    if (refused !== undefined) return fail(`${python} -m venv needs Debian's python3-venv: ${refused}`);
    made = run(python, ["-m", "venv", venv], env);
  }
  if (!made.ok) return failed(venv, fail(`${python} -m venv ${venv} failed: ${lastLine(made.output)}`));
  const pip = run(join(venv, "bin", "python"), ["-m", "pip", "install", "--quiet", MOTO_REQUIREMENT], env);
  if (!pip.ok || !executable(join(venv, "bin", "moto_server")))
    return failed(venv, fail(`pip could not install '${MOTO_REQUIREMENT}' into ${venv}: ${lastLine(pip.output)}`));
  return undefined;
}

/** Removes a half-made `venv` (the next run starts again), and passes `line` on. */
function failed(venv: string, line: string): string {
  rmSync(venv, { recursive: true, force: true });
  return line;
}

/** The first `python3` on `path`. */
function pythonOn(path: string | undefined): string | undefined {
  return (path ?? "")
    .split(delimiter)
    .filter((folder) => folder !== "")
    .map((folder) => join(folder, "python3"))
    .find(executable);
}

/** Runs `command` to its end (pip may take minutes), its output kept for a message. */
function run(command: string, args: string[], env: SearchEnv): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { env: { ...env }, encoding: "utf8", timeout: 15 * 60_000 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`;
  return { ok: result.status === 0, output };
}

/** The line that says what went wrong: pip's last `ERROR:` line, else the last line written. */
function lastLine(output: string): string {
  const lines = output.split("\n").map((line) => line.trim());
  return lines.findLast((line) => line.startsWith("ERROR:")) ?? lines.findLast((line) => line !== "") ?? "no output";
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const venv = process.argv[2];
  const failure = provideMoto(venv === undefined ? {} : { venv });
  if (failure !== undefined) {
    console.error(failure);
    process.exit(1);
  }
}
