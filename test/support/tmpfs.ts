/**
 * A small tmpfs mounted inside a test's root, for a full disk on demand (ENOSPC once it is full):
 * `mount -t tmpfs -o size=1m tmpfs DIR`. Mounting takes root and a system that lets it mount;
 * without either the caller reports a platform skip with the reason this answers.
 */
import { execFileSync } from "node:child_process";

/**
 * Mounts a tmpfs of `size` (mount(8)'s form: `1m`) on the folder `dir`.
 *
 * @returns null when mounted, else why it could not be
 * @example
 * ```ts
 * const refused = mountTmpfs(`${root}/full`);
 * ctx.skip(refused !== null, platformSkip(refused ?? ""));
 * ```
 */
export function mountTmpfs(dir: string, size = "1m"): string | null {
  if (process.getuid?.() !== 0) return "mounting a tmpfs takes root";
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" });
    return null;
  } catch (error) {
    return `this system refuses to mount a tmpfs: ${String((error as { stderr?: unknown }).stderr ?? error)}`;
  }
}

/** Unmounts what mountTmpfs() mounted on `dir`. */
export function unmount(dir: string): void {
  execFileSync("umount", [dir], { stdio: "pipe" });
}
