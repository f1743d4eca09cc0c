/**
 * What every adapter takes from the core instead of writing it again: the defaults its serve()
 * settles, the access-log entry it builds, and the two error questions of a disk.
 */
import { describe, expect, it } from "vitest";
import { ABSENT_CODES, accessLogEntry, isAbsent, notServable, serveSettings } from "../src/index.js";

describe("serveSettings()", () => {
  it("settles port 8000, followSymlinks off and the current directory as the root", () => {
    const settings = serveSettings({}, () => "/cwd");
    expect(settings).toMatchObject({ root: "/cwd", port: 8000, followSymlinks: false, hostname: undefined });
  });

  it("keeps what was given, and asks for the current directory only when no root is", () => {
    let asked = 0;
    const cwd = (): string => {
      asked++;
      return "/cwd";
    };
    const settings = serveSettings({ root: "/srv", port: 0, followSymlinks: true, hostname: "::1" }, cwd);
    expect(settings).toMatchObject({ root: "/srv", port: 0, followSymlinks: true, hostname: "::1" });
    expect(asked).toBe(0);
  });

  it("hands every other option to the handler, and none of the server's", () => {
    const onRequest = (): void => {};
    const { handler } = serveSettings({ root: "/srv", onRequest, cors: true, listing: false, port: 1 }, () => "/cwd");
    expect(handler).toEqual({ cors: true, listing: false });
  });
});

describe("accessLogEntry()", () => {
  const exchange = {
    remoteAddress: "::ffff:192.0.2.7",
    method: "GET",
    target: "/a.txt?x",
    httpVersion: "1.1",
    requestHeaders: new Headers({ referer: "http://example.test/", "user-agent": "curl/8" }),
    status: 200,
    responseLength: "42",
    arrived: 100,
  };

  it("times the exchange from its arrival to its answer, and takes the fields from the headers", () => {
    const entry = accessLogEntry({ ...exchange, answered: 112.5 });
    expect(entry).toMatchObject({ remoteAddress: "192.0.2.7", target: "/a.txt?x", status: 200, durationMs: 12.5 });
    expect(entry).toMatchObject({ bytes: 42, referer: "http://example.test/", userAgent: "curl/8" });
  });

  it("times it to now when the answer's moment is not given", () => {
    const before = performance.now();
    const entry = accessLogEntry({ ...exchange, arrived: before - 1000 });
    const after = performance.now();
    expect(entry.durationMs).toBeGreaterThanOrEqual(1000);
    expect(entry.durationMs).toBeLessThanOrEqual(after - before + 1000);
  });

  it("logs no bytes for a HEAD, and '-' for a socket that gave no address", () => {
    const entry = accessLogEntry({ ...exchange, method: "HEAD", remoteAddress: undefined });
    expect(entry).toMatchObject({ bytes: 0, remoteAddress: "-" });
  });
});

describe("isAbsent() and notServable()", () => {
  it("take a missing path, a path through a file and a symlink loop for absent, and nothing else", () => {
    for (const code of ABSENT_CODES) expect(isAbsent(Object.assign(new Error(code), { code }))).toBe(true);
    expect([...ABSENT_CODES].sort()).toEqual(["ELOOP", "ENOENT", "ENOTDIR"]);
    for (const error of [Object.assign(new Error(), { code: "EACCES" }), new Error("plain"), null, "ENOENT"]) {
      expect(isAbsent(error)).toBe(false);
    }
  });

  it("refuses a path as a 404 would, naming it and why in the message", () => {
    const error = notServable(new TextEncoder().encode("/srv/fifo"), "not a regular file");
    expect(error.code).toBe("ENOENT");
    expect(error.message).toBe("not a regular file: /srv/fifo");
    expect(isAbsent(error)).toBe(true);
  });
});
