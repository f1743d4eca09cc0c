/**
 * The two questions the set-up asks of the system: is this program there, and can Debian's
 * packages be installed.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

/** Whether `path` is a file this process may run. */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs Debian `packages` with apt-get, as root or through passwordless sudo, apt-get's output
 * shown. Returns `undefined` once apt-get succeeded, else one sentence saying why it did not.
 */
export function aptInstall(packages: readonly string[]): string | undefined {
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && trySudo();
  if (!asRoot && !sudo) return `Install them as root: apt-get install -y ${packages.join(" ")}`;
  const run = (args: string[]): void => {
    const [command, ...rest] = sudo ? ["sudo", "-n", "apt-get", ...args] : ["apt-get", ...args];
    execFileSync(command ?? "apt-get", rest, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  };
  try {
    run(["update", "-qq"]);
    run(["install", "-y", "-qq", ...packages]);
    return undefined;
  } catch (error) {
    return `apt-get install ${packages.join(" ")} failed: ${(error as Error).message.split("\n")[0]}`;
  }
}

function trySudo(): boolean {
  try {
    execFileSync("sudo", ["-n", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
