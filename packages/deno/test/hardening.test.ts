/**
 * @simplehttp/deno against a hostile filesystem and hostile clients (issue 5): symlinks out of the
 * root, dangling links, loops and a FIFO in a real temp tree with a secret beside it; clients that
 * dribble their headers, send oversized requests or a Host that is no host. Deno runs the server
 * (fixture-server.ts, on the TS source and on the built dist); this file talks to it over raw
 * sockets from Node.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listedLinks } from "../../../test/support/listing.ts";
import { parseResponse, type RawResponse, rawGet, rawRequest } from "../../../test/support/raw-http.ts";
import { type Fixture, killLeftovers, launchOrThrow, stop, waitFor } from "./launch.ts";

const SECRET = "SECRET outside the root\n";
const HELLO = "hello\n";
const BIG = randomBytes(1024 * 1024);

let parent: string;
let root: string;

beforeAll(() => {
  parent = realpathSync(mkdtempSync(join(tmpdir(), "simplehttp-deno-hardening-")));
  root = join(parent, "root");
  mkdirSync(root);
  writeFileSync(join(parent, "secret.txt"), SECRET);
  mkdirSync(join(parent, "outside"));
  writeFileSync(join(parent, "outside", "secret.txt"), SECRET);
  writeFileSync(join(root, "hello.txt"), HELLO);
  writeFileSync(join(root, "big.bin"), BIG);
  mkdirSync(join(root, "sub"));
  writeFileSync(join(root, "sub", "deep.txt"), HELLO);
  symlinkSync("../secret.txt", join(root, "escape.txt"));
  symlinkSync(join(parent, "secret.txt"), join(root, "escape-absolute.txt"));
  symlinkSync("../outside", join(root, "escape-dir"));
  symlinkSync("hello.txt", join(root, "inside-link.txt"));
  symlinkSync("sub", join(root, "sub-link"));
  symlinkSync("nowhere", join(root, "dangling"));
  symlinkSync("loop-b", join(root, "loop-a"));
  symlinkSync("loop-a", join(root, "loop-b"));
  execFileSync("mkfifo", [join(root, "fifo")]);
  symlinkSync("fifo", join(root, "fifo-link"));
  // The race test's link, and the file it points to whenever it does not point at the secret.
  writeFileSync(join(root, "race-inside.txt"), "inside the root\n");
  symlinkSync("race-inside.txt", join(root, "race.txt"));
});

afterAll(() => {
  killLeftovers();
  if (parent) rmSync(parent, { recursive: true, force: true });
});

const labels = (html: string): string[] => listedLinks(html).map((link) => link.label);
const containsSecret = (response: RawResponse): boolean => response.raw.toString("latin1").includes("SECRET");

/** Sends `bytes` and resolves with the status, or "closed" when the server closed without one. */
function statusOf(port: number, bytes: string): Promise<number | "closed"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no answer and no close within 5 s"));
    }, 5000);
    const done = (): void => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      resolve(raw.includes("\r\n\r\n") ? parseResponse(raw).status : "closed");
    };
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", done); // a reset while we were still writing
    socket.on("close", done);
  });
}

describe.each([
  ["TS source", "../src/index.ts"],
  ["built dist", "../dist/index.js"],
])("@simplehttp/deno (%s): hardening", (_label, module) => {
  describe("symlinks followed only inside the root (the default)", () => {
    let fixture: Fixture;
    let port: number;
    beforeAll(async () => {
      fixture = await launchOrThrow({ root, module });
      port = fixture.port;
    });
    afterAll(async () => {
      if (fixture) await stop(fixture);
    });

    it("answers 404 for a symlink to a file or a directory outside the root, never with the secret", async () => {
      for (const target of [
        "/escape.txt",
        "/escape-absolute.txt",
        "/escape-dir",
        "/escape-dir/",
        "/escape-dir/secret.txt",
      ]) {
        for (const method of ["GET", "HEAD"]) {
          const response = await rawGet(port, target, {}, { method });
          expect(response.status, `${method} ${target}`).toBe(404);
          expect(containsSecret(response), `${method} ${target}`).toBe(false);
        }
      }
    });

    it("serves a symlink to a file or a directory inside the root", async () => {
      expect((await rawGet(port, "/inside-link.txt")).body.toString()).toBe(HELLO);
      expect((await rawGet(port, "/sub-link/deep.txt")).body.toString()).toBe(HELLO);
      expect(labels((await rawGet(port, "/sub-link/")).body.toString())).toEqual(["../", "deep.txt"]);
    });

    it("answers 404 for a dangling symlink and a symlink loop", async () => {
      for (const target of ["/dangling", "/loop-a", "/loop-b", "/loop-a/x"])
        expect((await rawGet(port, target)).status, target).toBe(404);
    });

    it("answers 404 for a FIFO (and a link to it) at once, without hanging the server", async () => {
      for (const target of ["/fifo", "/fifo-link"]) {
        const started = Date.now();
        expect((await rawGet(port, target, {}, { timeoutMs: 3000 })).status, target).toBe(404);
        expect(Date.now() - started, target).toBeLessThan(1000);
      }
      expect((await rawGet(port, "/hello.txt")).body.toString()).toBe(HELLO);
    });

    // The FIFO and its link are never served either.
    it("lists the root, without the escaping links, the dangling one, the loop, or the FIFO and its link", async () => {
      const response = await rawGet(port, "/");
      expect(response.status).toBe(200);
      expect(labels(response.body.toString())).toEqual([
        "sub/",
        "sub-link/",
        "big.bin",
        "hello.txt",
        "inside-link.txt",
        "race-inside.txt",
        "race.txt",
      ]);
      expect(containsSecret(response)).toBe(false);
    });

    it("never serves the secret through a symlink swapped between the check and the open", async () => {
      // A second process flips race.txt between a file inside the root and the secret outside,
      // as fast as it can, while we ask for it: whatever stat() saw, read() must refuse the secret.
      const flipper = spawn(
        process.execPath,
        ["-e", FLIPPER, join(root, "race.txt"), "race-inside.txt", "../secret.txt", "2000"],
        { stdio: "ignore" },
      );
      const flipped = new Promise((resolve) => flipper.once("exit", resolve));
      let flipping = true;
      void flipped.then(() => (flipping = false));
      const statuses = new Map<number, number>();
      try {
        while (flipping) {
          const responses = await Promise.all(Array.from({ length: 8 }, () => rawGet(port, "/race.txt")));
          for (const response of responses) {
            expect(containsSecret(response)).toBe(false);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          }
        }
      } finally {
        flipper.kill();
        await flipped; // it leaves race.txt pointing inside, as the listing tests expect
      }
      // Both sides of the flip were seen, so the race was real.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(404) ?? 0).toBeGreaterThan(0);
      expect([...statuses.keys()].every((status) => status === 200 || status === 404)).toBe(true);
    });
  });

  describe("followSymlinks: true", () => {
    let fixture: Fixture;
    let port: number;
    beforeAll(async () => {
      fixture = await launchOrThrow({ root, module, followSymlinks: true });
      port = fixture.port;
    });
    afterAll(async () => {
      if (fixture) await stop(fixture);
    });

    it("serves a symlink to a file or a directory outside the root, and lists it", async () => {
      expect((await rawGet(port, "/escape.txt")).body.toString()).toBe(SECRET);
      expect((await rawGet(port, "/escape-dir/secret.txt")).body.toString()).toBe(SECRET);
      const names = labels((await rawGet(port, "/")).body.toString());
      expect(names).toEqual(expect.arrayContaining(["escape-dir/", "escape.txt", "escape-absolute.txt"]));
      for (const name of ["dangling", "loop-a", "loop-b"]) expect(names).not.toContain(name);
    });

    it("still answers 404 for a FIFO, a dangling symlink and a loop", async () => {
      for (const target of ["/fifo", "/fifo-link", "/dangling", "/loop-a"]) {
        expect((await rawGet(port, target, {}, { timeoutMs: 3000 })).status, target).toBe(404);
      }
    });
  });

  describe("hostile clients", () => {
    let fixture: Fixture;
    let port: number;
    beforeAll(async () => {
      fixture = await launchOrThrow({ root, module });
      port = fixture.port;
    });
    afterAll(async () => {
      if (fixture) await stop(fixture);
    });

    it("a client dribbling its head a byte every 200 ms, and 20 stalled mid-request, delay no other one", async () => {
      const request = `GET /hello.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${"s".repeat(100)}\r\n\r\n`;
      const dribbler = connect({ host: "127.0.0.1", port });
      const stalled: Socket[] = [];
      dribbler.on("error", () => {});
      let sent = 0;
      const drip = setInterval(() => {
        if (sent < request.length) dribbler.write(request[sent++] ?? "");
      }, 200);
      try {
        for (let i = 0; i < 20; i++) {
          const socket = connect({ host: "127.0.0.1", port }, () => socket.write("GET /hello.txt HTTP/1.1\r\nHo"));
          socket.on("error", () => {});
          stalled.push(socket);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000)); // the dribbler is mid-headers
        const started = Date.now();
        const response = await rawGet(port, "/big.bin", {}, { timeoutMs: 2000 });
        expect(Date.now() - started).toBeLessThan(1000);
        expect(response.status).toBe(200);
        expect(response.body.equals(BIG)).toBe(true);
        expect(sent).toBeGreaterThan(0);
        expect(sent).toBeLessThan(request.length); // still dribbling while the other was served
      } finally {
        clearInterval(drip);
        dribbler.destroy();
        for (const socket of stalled) socket.destroy();
      }
    });

    // Deno's HTTP server refuses a head over its size limit itself, with a plain 400; a segment
    // longer than a file name may be reaches the handler: ENAMETOOLONG, 414 (RFC 9110 §15.5.15).
    const head = (target: string, header = ""): string =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${header}Connection: close\r\n\r\n`;
    it.each([
      ["a 100 KB request target", head(`/${"a".repeat(100 * 1024)}`), 400],
      ["a 100 KB header", head("/hello.txt", `X-Big: ${"b".repeat(100 * 1024)}\r\n`), 400],
      ["a path segment longer than a file name may be", head(`/${"a".repeat(300)}`), 414],
    ])("%s gets %i, and the server answers the next request", async (_name, bytes, expected) => {
      expect(await statusOf(port, bytes)).toBe(expected);
      expect((await rawGet(port, "/hello.txt")).body.toString()).toBe(HELLO);
    });

    it.each(["a/b", "a@b", "a\\b", "a b"])(
      "Host: %s gets a 400, is logged with the target as sent, and the server answers the next request",
      async (host) => {
        const target = `/hello.txt?host=${encodeURIComponent(host)}`;
        const response = await rawRequest(
          port,
          `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          { oneResponse: true },
        );
        expect(response.status).toBe(400);
        expect(response.body.toString()).not.toContain(HELLO);
        expect((await rawGet(port, "/hello.txt")).body.toString()).toBe(HELLO);
        // Deno puts the Host into request.url; the log must not take part of it for the path.
        const logged = await waitFor(() =>
          fixture.logs.find(
            (entry) =>
              entry.status === 400 &&
              entry.target.includes("?host=") &&
              entry.target.endsWith(encodeURIComponent(host)),
          ),
        );
        expect(logged.target).toBe(target);
      },
    );
  });
});

/** Node script: flips symlink argv[1] between targets argv[2] and argv[3] (atomic renames) for argv[4] ms. */
const FLIPPER = `
const { symlinkSync, renameSync, rmSync } = require("node:fs");
const [link, a, b, ms] = process.argv.slice(1);
const temp = link + ".flip";
const deadline = Date.now() + Number(ms);
for (let i = 0; Date.now() < deadline; i++) {
  rmSync(temp, { force: true });
  symlinkSync(i % 2 ? b : a, temp);
  renameSync(temp, link);
}
rmSync(temp, { force: true });
symlinkSync(a, temp);
renameSync(temp, link);
`;
