/** Facts about server processes that tests check: their open descriptors, a port kept busy. */
import { readdirSync, readlinkSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";

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

/**
 * Writes `request` (raw HTTP/1.1 bytes) to 127.0.0.1:`port` and resolves with the socket once the
 * first bytes of the answer arrived, then stops reading: the server's writes back up, so a large
 * download stays mid-file with its file open, as a stalled client leaves it.
 */
export function stalledDownload(port: number, request: string, timeoutMs = 5000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no data within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("connect", () => socket.write(request));
    socket.once("data", () => {
      clearTimeout(timer);
      socket.pause();
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

/** Polls until `done()` holds; resolves with the milliseconds it took, rejects after `timeoutMs`. */
export async function settle(done: () => boolean, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not settled within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - started;
}
