/**
 * A flaky network on loopback: a TCP proxy in front of a server that counts every byte a client
 * sends through it, and, once armed, cuts the connection after a given number of them, as a phone
 * losing its network does mid-upload. The server sees its request end early (a FIN after the
 * last byte forwarded); the client sees its connection reset.
 */
import { createServer, type Socket, connect as tcpConnect } from "node:net";

export interface CutProxy {
  /** The port clients connect to. */
  port: number;
  /** Bytes clients have sent through the proxy, on every connection. */
  forwarded(): number;
  /** Cuts the connection carrying the `bytes`-th byte from now, after forwarding it; settles then. */
  cutAfter(bytes: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A proxy on 127.0.0.1 (a free port) to the server on `target`.
 *
 * @example
 * ```ts
 * const proxy = await cutProxy(server.port);
 * const cut = proxy.cutAfter(3 * 1024 * 1024);
 * ```
 */
export async function cutProxy(target: number): Promise<CutProxy> {
  let forwarded = 0;
  let armed: { at: number; done(): void } | null = null;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = tcpConnect(target, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.on("data", (chunk: Buffer) => {
      const cut = armed;
      if (cut !== null && forwarded + chunk.length >= cut.at) {
        armed = null;
        const kept = cut.at - forwarded;
        forwarded += kept;
        upstream.end(chunk.subarray(0, kept));
        client.destroy();
        cut.done();
        return;
      }
      forwarded += chunk.length;
      // Backpressure: the client waits for the server, as it would without the proxy.
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on("drain", () => client.resume());
    upstream.on("data", (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    client.on("close", () => upstream.writableEnded || upstream.destroy());
    upstream.on("close", () => client.destroy());
    for (const socket of [client, upstream]) {
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no port");
  return {
    port: address.port,
    forwarded: () => forwarded,
    cutAfter: (bytes) =>
      new Promise((resolve) => {
        armed = { at: forwarded + bytes, done: resolve };
      }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
