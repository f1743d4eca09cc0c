/**
 * The command's write flags (write-args.ts): read into the handler's `write` option, refused when
 * they mean nothing, and working through the command on each runtime, with the warning for writes
 * open to anyone beyond this machine.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseCommand, type ServeCommand } from "../src/args.js";
import { writeWarning } from "../src/write-args.js";
import { banner, get, killAll, lines, RUNTIME_NAMES, run, stop, tempSite, waitUntil } from "./run.ts";

function serveCommand(argv: string[]): ServeCommand {
  const command = parseCommand(argv);
  if (command.kind !== "serve") throw new Error(`expected a serve command, got ${command.kind}`);
  return command;
}

describe("the write flags", () => {
  it("are off by default: no write option, reads only", () => {
    expect(serveCommand([]).write).toBeUndefined();
  });

  it("read --upload, --delete, --max-upload-size and --trust-uploads into the write option", () => {
    expect(serveCommand(["--upload"]).write).toEqual({ upload: true, delete: false, trustUploads: false });
    const all = serveCommand(["--delete", "--max-upload-size", "1.5G", "--trust-uploads"]).write;
    expect(all).toEqual({ upload: false, delete: true, trustUploads: true, maxUploadSize: 1.5 * 1024 ** 3 });
    expect(serveCommand(["--upload", "--max-upload-size=4096"]).write?.maxUploadSize).toBe(4096);
    expect(serveCommand(["--upload", "--max-upload-size", "500MiB"]).write?.maxUploadSize).toBe(500 * 1024 ** 2);
  });

  it("refuse what means nothing without writes or a password, and a size that is none, in one line", () => {
    const refusals: [string[], RegExp][] = [
      [["--max-upload-size", "1G"], /^--max-upload-size applies to writes: add --upload or --delete$/],
      [["--trust-uploads"], /^--trust-uploads applies to writes/],
      [["--upload", "--public-read"], /^--public-read leaves writes to users with a password: add --auth/],
      [["--auth", "a:b", "--public-read"], /^--public-read applies to writes/],
      [["--upload", "--max-upload-size", "lots"], /^invalid --max-upload-size 'lots': expected a size/],
      [["--upload", "--max-upload-size", "0"], /^invalid --max-upload-size '0'/],
    ];
    for (const [argv, message] of refusals) expect(() => parseCommand(argv), argv.join(" ")).toThrow(message);
    expect(serveCommand(["--upload", "--auth", "a:b", "--public-read"]).publicRead).toBe(true);
  });

  it("warn, in one line, about writes open to all interfaces without a password; not on loopback", () => {
    expect(writeWarning("0.0.0.0", true, false)).toMatch(/^simplehttp: warning: writes are on for all interfaces/);
    expect(writeWarning("192.0.2.7", true, false)).toContain("for 192.0.2.7 without a password");
    expect(writeWarning("127.0.0.1", true, false)).toBeUndefined();
    expect(writeWarning("0.0.0.0", true, true)).toBeUndefined();
    expect(writeWarning("0.0.0.0", false, false)).toBeUndefined();
  });
});

const site = tempSite({ "a.txt": "a" });
afterEach(killAll);
afterAll(() => site.remove());

describe.each(RUNTIME_NAMES)("the command on %s", (runtime) => {
  it("with --upload takes a PUT (201) and refuses a replace (409); with no write flag a PUT is 405", async () => {
    const running = run(["0", "--bind", "127.0.0.1", "--directory", site.dir, "--quiet", "--upload"], { runtime });
    const { port } = await banner(running);
    const url = `http://127.0.0.1:${port}/put-${runtime}.txt`;
    expect((await get(url, { method: "PUT", body: "sent" })).status).toBe(201);
    expect(readFileSync(join(site.dir, `put-${runtime}.txt`), "utf8")).toBe("sent");
    expect((await get(url, { method: "PUT", body: "again" })).status).toBe(409);
    expect(lines(running.stderr())).toEqual([]);
    await stop(running);
    const readOnly = run(["0", "--bind", "127.0.0.1", "--directory", site.dir, "--quiet"], { runtime });
    const second = await banner(readOnly);
    const refused = await get(`http://127.0.0.1:${second.port}/other.txt`, { method: "PUT", body: "x" });
    expect([refused.status, refused.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS, PROPFIND"]);
    await stop(readOnly);
  });

  it("warns when writes are open on all interfaces without a password", async () => {
    const running = run(["0", "--directory", site.dir, "--quiet", "--upload"], { runtime });
    await banner(running);
    const said = await waitUntil(
      running,
      () => (running.stderr().includes("\n") ? lines(running.stderr()) : undefined),
      5000,
      "the warning",
    );
    expect(said).toEqual([
      "simplehttp: warning: writes are on for all interfaces without a password: " +
        "anyone who can reach it can change these files; add --auth, or --bind 127.0.0.1",
    ]);
    await stop(running);
  });
});
