/**
 * The set-up's moto on a developer's machine: found where it already is (MOTO_SERVER, the set-up's
 * own virtual environment, then pyenv's), else installed with `python3 -m venv` and pip, else one
 * clear line. pip runs against a local folder here (no index), so the outcome does not depend on
 * reaching PyPI: with nothing in it, the install fails; with a wheel named moto in it, it works.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findMotoServer } from "../support/moto-path.ts";
import { REPO_ROOT } from "../support/spawn-server.ts";

const scratch = mkdtempSync(join(tmpdir(), "simplehttp-moto-setup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A file at `path` that this process may run. */
function program(path: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, "#!/bin/sh\necho moto\n");
  chmodSync(path, 0o755);
  return path;
}

describe("where the S3 tests find moto", () => {
  const home = join(scratch, "home");
  const venv = join(scratch, "venv");
  const pyenv = (version: string) => program(join(home, ".pyenv", "versions", version, "bin", "moto_server"));

  it("takes pyenv's newest Python's, the set-up's venv before it, and MOTO_SERVER before both", () => {
    expect(findMotoServer({ HOME: home }, venv).path).toBeUndefined();
    pyenv("3.9.18");
    const newest = pyenv("3.13.0");
    expect(findMotoServer({ HOME: home }, venv).path).toBe(newest);
    const installed = program(join(venv, "bin", "moto_server"));
    expect(findMotoServer({ HOME: home }, venv).path).toBe(installed);
    const chosen = program(join(scratch, "chosen", "moto_server"));
    expect(findMotoServer({ HOME: home, MOTO_SERVER: chosen }, venv).path).toBe(chosen);
    expect(() => findMotoServer({ HOME: home, MOTO_SERVER: join(scratch, "nothing") }, venv)).toThrow(
      /MOTO_SERVER=.*nothing is not an executable file/,
    );
  });
});

/** The Python this machine runs as `python3` (a pyenv shim resolved to its interpreter). */
const PYTHON = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();

/**
 * Runs the set-up's moto step (moto-install.ts) into `venv`, on a machine that has no moto: a
 * home without pyenv, no MOTO_SERVER, only `python3` and the system's folders on the PATH, and pip
 * reading packages from `wheels` alone. Resolves with its exit code and output.
 */
function installInto(venv: string, wheels: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = join(scratch, `bin-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bin);
  symlinkSync(PYTHON, join(bin, "python3"));
  const env = {
    HOME: join(scratch, "empty-home"),
    PATH: [bin, "/usr/bin", "/bin"].join(":"),
    PIP_CONFIG_FILE: "/dev/null",
    PIP_NO_INDEX: "1",
    PIP_FIND_LINKS: wheels,
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
  };
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/moto-install.ts", venv], {
    cwd: REPO_ROOT,
    env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const timer = setTimeout(() => child.kill("SIGKILL"), 100_000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A wheel named moto 5.2.0, with the `server` extra and a `moto_server` command, built by hand
 * (a wheel is a zip with its metadata and a RECORD of hashes; PEP 427): what pip would fetch.
 */
function fakeMotoWheel(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const build = `
import base64, hashlib, sys, zipfile
info = "moto-5.2.0.dist-info"
files = {
  "moto/__init__.py": "def main():\\n    print('a stand-in for moto_server')\\n",
  info + "/METADATA": "Metadata-Version: 2.1\\nName: moto\\nVersion: 5.2.0\\nProvides-Extra: server\\n",
  info + "/WHEEL": "Wheel-Version: 1.0\\nGenerator: simplehttp-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
  info + "/entry_points.txt": "[console_scripts]\\nmoto_server = moto:main\\n",
}
def digest(text):
  return base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
record = "".join(f"{name},sha256={digest(text)},{len(text.encode())}\\n" for name, text in files.items())
with zipfile.ZipFile(sys.argv[1] + "/moto-5.2.0-py3-none-any.whl", "w") as wheel:
  for name, text in files.items():
    wheel.writestr(name, text)
  wheel.writestr(info + "/RECORD", record + info + "/RECORD,,\\n")
`;
  const made = spawnSync(PYTHON, ["-c", build, folder], { encoding: "utf8" });
  expect(made.status, made.stderr).toBe(0);
}

describe("the set-up, when no moto is found", () => {
  it("fails with one clear line when pip cannot install it, and leaves no half-made venv", async () => {
    const venv = join(scratch, "failed-venv");
    const nothing = join(scratch, "no-wheels");
    mkdirSync(nothing);
    const { code, stderr } = await installInto(venv, nothing);
    expect(code).toBe(1);
    expect(stderr.split("\n").filter((line) => line !== "")).toEqual([
      `simplehttp tests: moto (the S3 tests' local store) is not in MOTO_SERVER, ${venv}/bin/moto_server, ` +
        `${join(scratch, "empty-home")}/.pyenv/versions/*/bin/moto_server, and pip could not install ` +
        `'moto[server]==5.2.*' into ${venv}: ERROR: No matching distribution found for moto[server]==5.2.*`,
    ]);
    expect(findMotoServer({ HOME: join(scratch, "empty-home") }, venv).path).toBeUndefined();
  }, 120_000);

  it("makes a virtual environment, installs moto[server]==5.2.* into it with pip, and finds it there", async () => {
    const venv = join(scratch, "made-venv");
    const wheels = join(scratch, "wheels");
    fakeMotoWheel(wheels);
    const { code, stdout, stderr } = await installInto(venv, wheels);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(`-m venv ${venv}, then pip install 'moto[server]==5.2.*'`);
    const found = findMotoServer({ HOME: join(scratch, "empty-home") }, venv).path;
    expect(found).toBe(join(venv, "bin", "moto_server"));
    expect(spawnSync(found ?? "", [], { encoding: "utf8" }).stdout).toBe("a stand-in for moto_server\n");
  }, 120_000);
});
