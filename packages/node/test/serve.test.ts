import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AccessLogEntry, memoryFileSystem } from "@simplehttp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listedLinks } from "../../../test/support/listing.ts";
import { occupyPort } from "../../../test/support/proc.ts";
import { type RawResponse, rawGet, rawRequest } from "../../../test/support/raw-http.ts";
import { type RunningServer, serve } from "../src/index.js";

const BIG_SIZE = 3 * 1024 * 1024;
const OUTSIDE_SECRET = `outside-root-secret-${randomBytes(8).toString("hex")}`;
const DOTENV_SECRET = `dotenv-secret-${randomBytes(8).toString("hex")}`;
// Names a listing must escape (HTML) and encode (URL) correctly; each file holds its own name.
const ODD_NAMES = [
  "space name.txt",
  "hash#name.txt",
  "question?name.txt",
  "percent%41.txt",
  "a&b<c>.txt",
  `quote'"d.txt`,
  "unicode-é漢字.txt",
];
const ODD_DIR = "sub dir#1";
const VERSION: string = (
  JSON.parse(readFileSync(new URL("../../cli/package.json", import.meta.url), "utf8")) as { version: string }
).version;

let parent: string;
let root: string;
let big: Buffer;
let server: RunningServer;
let base: string;
const entries: AccessLogEntry[] = [];

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), "simplehttp-serve-"));
  root = join(parent, "root");
  writeFileSync(join(parent, "secret"), OUTSIDE_SECRET);
  mkdirSync(join(root, "site"), { recursive: true });
  mkdirSync(join(root, "evil.example", "dir"), { recursive: true });
  mkdirSync(join(root, "names", ODD_DIR), { recursive: true });
  mkdirSync(join(root, ".well-known"));
  writeFileSync(join(root, "a.txt"), "hello\n");
  writeFileSync(join(root, "site", "index.html"), "<h1>site</h1>\n");
  writeFileSync(join(root, "evil.example", "dir", "x.txt"), "x\n");
  for (const name of ODD_NAMES) writeFileSync(join(root, "names", name), `content of ${name}`);
  writeFileSync(join(root, "names", ODD_DIR, "inner.txt"), "inner\n");
  big = randomBytes(BIG_SIZE);
  writeFileSync(join(root, "big.bin"), big);
  writeFileSync(join(root, "empty.txt"), "");
  writeFileSync(join(root, ".env"), `SECRET=${DOTENV_SECRET}\n`);
  writeFileSync(join(root, ".well-known", "security.txt"), "Contact: mailto:security@example.com\n");
  server = await serve({ root, port: 0, hostname: "127.0.0.1", onRequest: (entry) => entries.push(entry) });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
  if (parent) rmSync(parent, { recursive: true, force: true });
});

const url = (path: string): string => new URL(path, base).href;
/** `fetch`, aborted after 10 s: a server that hangs fails the test, not the run. */
const timedFetch = (target: string | URL, init: RequestInit = {}): Promise<Response> =>
  fetch(target, { ...init, signal: AbortSignal.timeout(10_000) });

async function waitFor<T>(find: () => T | undefined, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`waitFor: nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Descriptors this process holds open on `path` (Linux: /proc/self/fd), or `undefined` where that cannot be seen. */
function openDescriptors(path: string): number | undefined {
  if (!existsSync("/proc/self/fd")) return undefined;
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed while we looked
    }
  }).length;
}

const links = listedLinks;

describe("serving files", () => {
  it("serves a text file with its type, length and Last-Modified", async () => {
    const response = await timedFetch(url("/a.txt"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-length")).toBe("6");
    expect(response.headers.get("last-modified")).toBe(statSync(join(root, "a.txt")).mtime.toUTCString());
    expect(await response.text()).toBe("hello\n");
  });

  it("serves a 3 MiB file byte-exact with Content-Length", async () => {
    const response = await timedFetch(url("/big.bin"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(BIG_SIZE));
    expect(Buffer.from(await response.arrayBuffer()).equals(big)).toBe(true);
  });

  it("serves an empty file as 200 with Content-Length 0", async () => {
    const response = await rawGet(server.port, "/empty.txt");
    expect(response.status).toBe(200);
    expect(response.headers["content-length"]).toBe("0");
    expect(response.body.length).toBe(0);
  });

  it("HEAD sends GET's headers and no body", async () => {
    for (const path of ["/a.txt", "/big.bin", "/names/"]) {
      const get = await rawGet(server.port, path);
      const head = await rawRequest(
        server.port,
        `HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(head.status).toBe(200);
      for (const name of ["content-type", "content-length", "last-modified", "server"])
        expect(head.headers[name], name).toBe(get.headers[name]);
      expect(head.raw.subarray(head.raw.indexOf("\r\n\r\n") + 4).length).toBe(0);
    }
  });

  it("the Server header names simplehttp and its version", async () => {
    const response = await timedFetch(url("/a.txt"));
    expect(response.headers.get("server")).toBe(`simplehttp/${VERSION}`);
  });

  it("If-Modified-Since at the mtime answers 304, a second earlier 200", async () => {
    const mtime = statSync(join(root, "a.txt")).mtime;
    const notModified = await rawGet(server.port, "/a.txt", { "If-Modified-Since": mtime.toUTCString() });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    const earlier = new Date(mtime.getTime() - 1000).toUTCString();
    const modified = await rawGet(server.port, "/a.txt", { "If-Modified-Since": earlier });
    expect(modified.status).toBe(200);
    expect(modified.body.toString()).toBe("hello\n");
  });

  it("405 with Allow for POST", async () => {
    const response = await timedFetch(url("/a.txt"), { method: "POST", body: "x" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND");
  });

  it("404 for a file asked with a trailing slash", async () => {
    expect((await timedFetch(url("/a.txt/"))).status).toBe(404);
  });
});

describe("directories", () => {
  it("serves a directory's index.html", async () => {
    const response = await timedFetch(url("/site/"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toBe("<h1>site</h1>\n");
  });

  it("answers 301 to the slash form for a directory, keeping the query", async () => {
    const response = await rawGet(server.port, "/names/sub%20dir%231?x=1&y=%2F");
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe("/names/sub%20dir%231/?x=1&y=%2F");
  });

  it("lists a directory with escaped names and working links", async () => {
    const dirUrl = url("/names/");
    const response = await timedFetch(dirUrl);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("a&amp;b&lt;c&gt;.txt");
    expect(html).not.toContain("<c>");
    const found = links(html);
    expect(found.map((link) => link.label).sort()).toEqual(["../", `${ODD_DIR}/`, ...ODD_NAMES].sort());
    for (const { href, label } of found) {
      const linked = await timedFetch(new URL(href, dirUrl));
      expect(linked.status, href).toBe(200);
      const text = await linked.text();
      if (label === "../") expect(text).toContain("Directory listing for /<");
      else if (label === `${ODD_DIR}/`) expect(links(text).map((link) => link.label)).toEqual(["../", "inner.txt"]);
      else expect(text, href).toBe(`content of ${label}`);
    }
  });

  it("hides dotfiles but serves /.well-known/", async () => {
    // A `..` is refused before the dotfile rule could apply: never reinterpreted as `/.env`.
    const expected = { "/.env": 404, "/%2eenv": 404, "/.well-known/../.env": 400, "/.well-known/.env": 404 };
    for (const [target, status] of Object.entries(expected)) {
      const response = await rawGet(server.port, target);
      expect(response.status, target).toBe(status);
      expect(response.raw.includes(DOTENV_SECRET), target).toBe(false);
    }
    const wellKnown = await timedFetch(url("/.well-known/security.txt"));
    expect(wellKnown.status).toBe(200);
    expect(await wellKnown.text()).toContain("Contact:");
    const labels = links(await (await timedFetch(base)).text()).map((link) => link.label);
    expect(labels).toContain(".well-known/");
    expect(labels).not.toContain(".env");
  });
});

describe("hostile request targets (raw sockets)", () => {
  const cases: [target: string, expected: number[]][] = [
    ["/../secret", [400, 404]],
    ["/%2e%2e/secret", [400, 404]],
    ["/%2E%2e/secret", [400, 404]],
    ["/..%2fsecret", [400, 404]],
    ["/%2fetc/passwd", [400, 404]],
    ["/a%5c..%5csecret", [400, 404]],
    ["/..\\secret", [400, 404]],
    ["/%00", [400, 404]],
    ["/%zz", [400]],
    ["http://evil.example/../secret", [400, 404]],
    ["//evil.example/dir", [301]],
    ["//evil.example/dir?q=1", [301]],
  ];

  const expectNoLeak = (response: RawResponse, target: string): void => {
    expect(response.raw.includes(OUTSIDE_SECRET), target).toBe(false);
    expect(response.raw.includes(DOTENV_SECRET), target).toBe(false);
  };

  it.each(cases)("%s is refused without leaking, and the server keeps serving", async (target, expected) => {
    const response = await rawGet(server.port, target);
    expectNoLeak(response, target);
    expect(expected).toContain(response.status);
    if (response.status >= 300 && response.status < 400) {
      // Never off-site: a path with exactly one leading slash.
      expect(response.headers.location).toMatch(/^\/[^/\\]/);
    }
    const after = await rawGet(server.port, "/a.txt");
    expect(after.status).toBe(200);
    expect(after.body.toString()).toBe("hello\n");
  });

  it("redirects //evil.example/dir to the local /evil.example/dir/", async () => {
    const response = await rawGet(server.port, "//evil.example/dir");
    expect(response.headers.location).toBe("/evil.example/dir/");
  });

  it("a client that aborts mid-download of the large file does not crash the server", async () => {
    const received = await new Promise<number>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: server.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error("no data within 5 s"));
      }, 5000);
      socket.on("connect", () => socket.write("GET /big.bin?abort HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
      socket.once("data", (chunk: Buffer) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(chunk.length);
      });
      socket.on("error", reject);
    });
    expect(received).toBeLessThan(BIG_SIZE);
    // The server saw the response end (its close event), then still serves, big files included.
    await waitFor(() => entries.find((entry) => entry.target === "/big.bin?abort"));
    // The file's stream is destroyed with the response: no descriptor is left open.
    const bigPath = realpathSync(join(root, "big.bin"));
    if (openDescriptors(bigPath) !== undefined)
      await waitFor(() => (openDescriptors(bigPath) === 0 ? true : undefined));
    expect((await rawGet(server.port, "/a.txt")).status).toBe(200);
    const again = await rawGet(server.port, "/big.bin");
    expect(again.body.equals(big)).toBe(true);
  });
});

describe("serve()", () => {
  it("serves a FileSystem given as fs instead of a directory (a bucket, a memory tree)", async () => {
    const bucket = await serve({
      fs: memoryFileSystem({ "in-memory.txt": "not on disk" }),
      port: 0,
      hostname: "127.0.0.1",
    });
    try {
      const response = await timedFetch(`${bucket.url}in-memory.txt`);
      expect(await response.text()).toBe("not on disk");
      expect((await timedFetch(`${bucket.url}a.txt`)).status).toBe(404);
    } finally {
      await bucket.close();
    }
  });

  it("calls onRequest with method, target, status, httpVersion and remoteAddress", async () => {
    const sent = performance.now();
    await rawGet(server.port, "/a.txt?log=1", { "User-Agent": "probe/1", Referer: "http://example.test/" });
    await rawRequest(server.port, "HEAD /missing?log=2 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    const get = await waitFor(() => entries.find((entry) => entry.target === "/a.txt?log=1"));
    expect(get).toMatchObject({
      method: "GET",
      status: 200,
      httpVersion: "1.1",
      remoteAddress: "127.0.0.1",
      bytes: 6,
      userAgent: "probe/1",
      referer: "http://example.test/",
    });
    // The server times the request within the span from sending it to seeing its entry.
    expect(get.durationMs).toBeGreaterThan(0);
    expect(get.durationMs).toBeLessThan(performance.now() - sent);
    expect(get.time).toBeInstanceOf(Date);
    const head = await waitFor(() => entries.find((entry) => entry.target === "/missing?log=2"));
    expect(head).toMatchObject({
      method: "HEAD",
      status: 404,
      httpVersion: "1.0",
      remoteAddress: "127.0.0.1",
      bytes: 0,
    });
  });

  it("reports the bound address, port and a usable URL", async () => {
    expect(server.hostname).toBe("127.0.0.1");
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it("rejects with code EADDRINUSE when the port is taken", async () => {
    const busy = await occupyPort();
    try {
      await expect(serve({ root, port: busy.port, hostname: "127.0.0.1" })).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
    } finally {
      await busy.release();
    }
  });
});
