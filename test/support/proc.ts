/** Facts about server processes that tests check: their open descriptors, a port kept busy. */
import { readdirSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";

/** Descriptors of process `pid` (from /proc): all of them, and those open on `path`. */
export function descriptors(pid: number, path: string): { total: number; onPath: number } {
  const fds = readdirSync(`/proc/${pid}/fd`);
  const onPath = fds.filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
    } catch {
      return false; // closed while we looked
    }
  }).length;
  return { total: fds.length, onPath };
}

/** Listens on a free port of 127.0.0.1, so a server asked to use it finds it taken. */
export async function occupyPort(): Promise<{ port: number; release(): Promise<void> }> {
  const blocker = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once("error", reject);
    blocker.listen(0, "127.0.0.1", resolve);
  });
  const address = blocker.address();
  if (address === null || typeof address === "string") throw new Error("the blocker has no port");
  return { port: address.port, release: () => new Promise<void>((resolve) => blocker.close(() => resolve())) };
}
