/**
 * @simplehttp/bun against what a static file server meets in the wild (issue 5): symlinks that
 * lead out of the root, dangling links, loops, a FIFO, slow and aborting clients, over-long and
 * malformed requests. The servers run under Bun, spawned from `node_modules/bun/bin/bun.exe`
 * itself (pnpm's `.bin/bun` is a shell script: killing it would leave Bun listening).
 */
import { execFileSync } from "node:child_process";
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet, rawRequest } from "../../../test/support/raw-http.ts";
import { BUN, type SpawnedServer, spawnServer } from "../../../test/support/spawn-server.ts";

const SERVER_SCRIPT = fileURLToPath(new URL("./fixture-server.ts", import.meta.url));
const SECRET = "TOP SECRET: outside the root\n";
const SECRET2 = "ALSO SECRET: in a directory outside the root\n";
const TEXT = "hello world, a text file\n";
const HUGE_SIZE = 256 * 1024 * 1024;

let parent: string;
const servers: SpawnedServer[] = [];

/**
 * Writes a tree under `base`: `secret.txt` and `outside/secret2.txt` beside the root, and in the
 * root a file, a directory, links leading out (`escape.txt`, `escape-dir`, `dir/up.txt`), links
 * staying in (`inside-link.txt`, `dir-link`), a dangling link, a loop and a FIFO. The FileSystem
 * itself meets these, and more, in the containment table (containment.test.ts).
 */
function writeTree(base: string): string {
  const root = join(base, "root");
  const secret = join(base, "secret.txt");
  mkdirSync(join(root, "dir"), { recursive: true });
  mkdirSync(join(base, "outside"));
  writeFileSync(secret, SECRET);
  writeFileSync(join(base, "outside", "secret2.txt"), SECRET2);
  writeFileSync(join(root, "t.txt"), TEXT);
  writeFileSync(join(root, "dir", "inner.txt"), "inner\n");
  symlinkSync(secret, join(root, "escape.txt")); // absolute
  symlinkSync("../outside", join(root, "escape-dir")); // relative
  symlinkSync("../../secret.txt", join(root, "dir", "up.txt")); // climbs out of a subdirectory
  symlinkSync("t.txt", join(root, "inside-link.txt"));
  symlinkSync("dir", join(root, "dir-link"));
  symlinkSync("nowhere.txt", join(root, "dangling"));
  symlinkSync("loop-b", join(root, "loop-a"));
  symlinkSync("loop-a", join(root, "loop-b"));
  execFileSync("mkfifo", [join(root, "fifo")]);
  return root;
}

async function startBun(root: string, ...flags: string[]): Promise<SpawnedServer> {
  const server = await spawnServer(BUN, [SERVER_SCRIPT, root, ...flags]);
  servers.push(server);
  return server;
}

let contained: SpawnedServer;
let following: SpawnedServer;

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), "simplehttp-bun-hardening-"));
  const root = writeTree(join(parent, "served"));
  // Sparse: 256 MiB that take no disk, and far more than socket buffers hold.
  const fd = openSync(join(root, "huge.bin"), "w");
  ftruncateSync(fd, HUGE_SIZE);
  closeSync(fd);
  [contained, following] = await Promise.all([startBun(root), startBun(root, "--follow-symlinks")]);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  if (parent) rmSync(parent, { recursive: true, force: true });
});

const get = (server: SpawnedServer, path: string, timeoutMs = 5000): Promise<Response> =>
  fetch(new URL(path, server.url), { signal: AbortSignal.timeout(timeoutMs) });
const statusAndText = async (server: SpawnedServer, path: string): Promise<[number, string]> => {
  const response = await get(server, path);
  return [response.status, await response.text()];
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("symlinks, by default: only what really lies inside the root", () => {
  it("a symlink to a file outside the root answers 404, never the secret", async () => {
    for (const path of ["/escape.txt", "/dir/up.txt", "/escape-dir/secret2.txt"]) {
      const [status, text] = await statusAndText(contained, path);
      expect(status, path).toBe(404);
      expect(text, path).not.toContain("SECRET");
    }
  });

  it("a symlink to a directory outside the root answers 404, with or without the slash", async () => {
    expect((await get(contained, "/escape-dir/")).status).toBe(404);
    expect((await get(contained, "/escape-dir")).status).toBe(404);
  });

  it("a symlink to a file or directory inside the root is served", async () => {
    expect(await statusAndText(contained, "/inside-link.txt")).toEqual([200, TEXT]);
    expect(await statusAndText(contained, "/dir-link/inner.txt")).toEqual([200, "inner\n"]);
  });

  it("a dangling symlink and a symlink loop answer 404", async () => {
    for (const path of ["/dangling", "/loop-a", "/loop-b", "/loop-a/x"])
      expect((await get(contained, path)).status, path).toBe(404);
  });

  it("a FIFO answers 404 promptly and the server keeps answering", async () => {
    const started = Date.now();
    const response = await rawGet(contained.port, "/fifo", {}, { timeoutMs: 2000 });
    expect(response.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await statusAndText(contained, "/t.txt")).toEqual([200, TEXT]);
  });

  it("a listing leaves out links leading out, dangling links and loops, and still answers 200", async () => {
    const [status, html] = await statusAndText(contained, "/");
    expect(status).toBe(200);
    for (const name of ["t.txt", "dir/", "inside-link.txt", "dir-link/"]) expect(html).toContain(`<a href="${name}">`);
    for (const name of ["escape.txt", "escape-dir", "dangling", "loop-a", "loop-b"])
      expect(html).not.toContain(`"${name}`);
    const [dirStatus, dirHtml] = await statusAndText(contained, "/dir/");
    expect(dirStatus).toBe(200);
    expect(dirHtml).toContain('<a href="inner.txt">');
    expect(dirHtml).not.toContain("up.txt");
  });
});

describe("symlinks with followSymlinks: true", () => {
  it("a symlink to a file or directory outside the root is served", async () => {
    expect(await statusAndText(following, "/escape.txt")).toEqual([200, SECRET]);
    expect(await statusAndText(following, "/escape-dir/secret2.txt")).toEqual([200, SECRET2]);
    const [status, html] = await statusAndText(following, "/");
    expect(status).toBe(200);
    expect(html).toContain('<a href="escape.txt">');
    expect(html).toContain('<a href="escape-dir/">');
  });

  it("still answers 404 for a FIFO, a dangling link and a loop, and leaves the last two out of a listing", async () => {
    const started = Date.now();
    expect((await rawGet(following.port, "/fifo", {}, { timeoutMs: 2000 })).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(2000);
    for (const path of ["/dangling", "/loop-a"]) expect((await get(following, path)).status, path).toBe(404);
    const html = await (await get(following, "/")).text();
    for (const name of ["dangling", "loop-a", "loop-b"]) expect(html).not.toContain(`"${name}`);
  });
});

/** Writes `bytes` on a new connection; resolves with the status line's code, or "closed" if none came. */
function statusOrClose(port: number, bytes: string, timeoutMs = 5000): Promise<number | "closed"> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write(bytes));
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`neither an answer nor a close within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
      resolve(status === undefined ? "closed" : Number(status));
    };
    socket.setEncoding("latin1").on("data", (text: string) => {
      received += text;
      if (received.includes("\r\n\r\n")) done();
    });
    // A reset after an over-long request is a refusal too.
    socket.on("error", done);
    socket.on("close", done);
  });
}

describe("hostile requests", () => {
  // Bun answers a head over its 16 KiB limit itself, a long target as well as a long header
  // (431, RFC 6585 §5; not 414): the handler never sees either.
  it("a 100 KB request target or header gets Bun's own 431, and the next request is answered", async () => {
    const long = "a".repeat(100 * 1024);
    const answers = [
      await statusOrClose(contained.port, `GET /${long} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
      await statusOrClose(
        contained.port,
        `GET /t.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ${long}\r\nConnection: close\r\n\r\n`,
      ),
    ];
    expect(answers).toEqual([431, 431]);
    expect(await statusAndText(contained, "/t.txt")).toEqual([200, TEXT]);
  });

  it("a Host with '/', '@', '\\' or a space answers 400, and the server keeps answering", async () => {
    for (const host of ["a/b", "a@b", "a\\b", "a b"]) {
      const response = await rawRequest(
        contained.port,
        `GET /t.txt HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      expect(response.status, host).toBe(400);
      expect(response.body.toString(), host).not.toContain(TEXT);
    }
    expect(await statusAndText(contained, "/t.txt")).toEqual([200, TEXT]);
  });
});

/** A client sending `head` one byte every `intervalMs`; `closed` resolves with ms since connect. */
function dribble(
  port: number,
  head: string,
  intervalMs: number,
): { socket: Socket; sent: () => number; closed: Promise<number>; stop: () => void } {
  const socket = connect({ host: "127.0.0.1", port });
  let sent = 0;
  const opened = Date.now();
  const timer = setInterval(() => {
    if (sent < head.length && !socket.destroyed) socket.write(head[sent++] ?? "");
  }, intervalMs);
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - opened)));
  const stop = (): void => {
    clearInterval(timer);
    socket.destroy();
  };
  return { socket, sent: () => sent, closed, stop };
}

describe("slow clients (slowloris)", () => {
  // Longer than the bytes a dribbler can send in the test, so its head never completes.
  const head = `GET /t.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${"p".repeat(1000)}\r\n\r\n`;

  it("a client dribbling its headers a byte every 200 ms does not keep a second client waiting", async () => {
    const dribbler = dribble(contained.port, head, 200);
    try {
      await sleep(1000);
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        expect(await statusAndText(contained, "/t.txt")).toEqual([200, TEXT]);
        expect(Date.now() - started).toBeLessThan(1000);
      }
      expect(dribbler.sent()).toBeGreaterThanOrEqual(4);
      expect(dribbler.socket.destroyed).toBe(false);
    } finally {
      dribbler.stop();
    }
  });

  it("Bun closes a connection whose head is incomplete after about 10 s, however steadily it dribbles", async () => {
    const dribbler = dribble(contained.port, head, 200);
    const received: Buffer[] = [];
    dribbler.socket.on("data", (chunk: Buffer) => received.push(chunk));
    try {
      const closedAfter = await Promise.race([dribbler.closed, sleep(16_000).then(() => Infinity)]);
      expect(closedAfter).toBeLessThan(16_000);
      expect(dribbler.sent()).toBeGreaterThan(20); // it was sending all along
      expect(Buffer.concat(received).length).toBe(0); // closed without an answer
    } finally {
      dribbler.stop();
    }
  }, 20_000);
});

/** The targets of the open descriptors of process `pid` (sockets as `socket:[…]`). */
function descriptors(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      return "(closed meanwhile)";
    }
  });
}

/** Sends a GET for `path`, waits until `bytes` bytes have arrived, calls `beforeAbort`, then drops the connection. */
function abortAfter(port: number, path: string, bytes: number, beforeAbort: () => void = () => {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    );
    let received = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${received} bytes within 5 s`));
    }, 5000);
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received < bytes) return;
      clearTimeout(timer);
      beforeAbort();
      socket.destroy();
      resolve();
    });
    socket.on("error", reject);
  });
}

describe("file handles", () => {
  it("100 downloads of a 256 MiB file aborted mid-body leave no descriptor open", async () => {
    const server = await startBun(join(parent, "served", "root"));
    const huge = (target: string): boolean => target.endsWith("/huge.bin");
    // Warm up (the first request opens what a server keeps), then let its socket go.
    expect((await rawGet(server.port, "/t.txt")).status).toBe(200);
    await sleep(200);
    const baseline = descriptors(server.pid);
    expect(baseline.filter(huge)).toEqual([]);

    let openDuringDownload = 0;
    for (let i = 0; i < 100; i++) {
      await abortAfter(server.port, "/huge.bin", 1024 * 1024, () => {
        if (i === 0) openDuringDownload = descriptors(server.pid).filter(huge).length;
      });
    }

    const deadline = Date.now() + 5000;
    let now = descriptors(server.pid);
    while ((now.length > baseline.length || now.some(huge)) && Date.now() < deadline) {
      await sleep(50);
      now = descriptors(server.pid);
    }
    expect(now.filter(huge)).toEqual([]);
    expect(now.length).toBeLessThanOrEqual(baseline.length);
    // Proof the test measured something: while a download ran, the big file was open.
    expect(openDuringDownload).toBe(1);
    expect((await rawGet(server.port, "/t.txt")).status).toBe(200);
  });
});
