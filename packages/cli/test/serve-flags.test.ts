/**
 * The flags of the core's features (--spa, --ext, --no-404-page, --auth), and those whose
 * behaviour depends on the runtime ($PORT, a busy port, --open), from the command.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { occupyPort } from "../../../test/support/proc.ts";
import {
  banner,
  expectUsageError,
  get,
  killAll,
  lines,
  plainEnv,
  pollUntil,
  RUNTIME_NAMES,
  run,
  startServing,
  stop,
  tempSite,
  waitUntil,
} from "./run.ts";

let site: ReturnType<typeof tempSite>;
beforeAll(() => {
  site = tempSite({
    "index.html": "<p>app</p>",
    "about.html": "<p>about</p>",
    "404.html": "<p>lost</p>",
    "a.txt": "a\n",
  });
});
afterEach(killAll);
afterAll(() => site?.remove());

const page = { headers: { accept: "text/html" } };

describe("--spa, --ext, --no-404-page", () => {
  it("by default a missing page gets the site's 404.html, with status 404", async () => {
    const { running, port } = await startServing(site.dir, ["--quiet"]);
    const response = await get(`http://127.0.0.1:${port}/nowhere`, page);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("<p>lost</p>");
    await stop(running);
  });

  // And --no-404-page keeps the plain 404.
  it("--spa answers page paths with index.html, --ext html serves about.html for /about", async () => {
    const { running, port } = await startServing(site.dir, ["--quiet", "--ext", ".html", "--no-404-page", "--spa"]);
    const about = await get(`http://127.0.0.1:${port}/about`, page);
    expect([about.status, await about.text()]).toEqual([200, "<p>about</p>"]);
    const route = await get(`http://127.0.0.1:${port}/users/42`, page);
    expect([route.status, await route.text()]).toEqual([200, "<p>app</p>"]);
    const asset = await get(`http://127.0.0.1:${port}/app.js`, page);
    expect(asset.status).toBe(404);
    expect(await asset.text()).not.toBe("<p>lost</p>");
    await stop(running);
  });

  it("--spa FILE names another file, and the next number stays the port", async () => {
    writeFileSync(join(site.dir, "shell.html"), "<p>shell</p>");
    const running = run(["--spa", "shell.html", "0", "--bind", "127.0.0.1", "--directory", site.dir, "--quiet"]);
    const { port } = await banner(running);
    const route = await get(`http://127.0.0.1:${port}/deep/link`, page);
    expect([route.status, await route.text()]).toEqual([200, "<p>shell</p>"]);
    await stop(running);
  });

  it("an --spa file that is not there is one warning line at start, and is used once it is there", async () => {
    const { running, port } = await startServing(site.dir, ["--quiet", "--spa", "later.html"]);
    expect(lines(running.stderr())).toEqual([
      `simplehttp: warning: --spa file 'later.html' is not in '${site.dir}': unknown pages answer 404 until it is`,
    ]);
    expect((await get(`http://127.0.0.1:${port}/route`, page)).status).toBe(404);
    writeFileSync(join(site.dir, "later.html"), "<p>later</p>");
    const route = await get(`http://127.0.0.1:${port}/route`, page);
    expect([route.status, await route.text()]).toEqual([200, "<p>later</p>"]);
    await stop(running);
  });

  it("an --spa file that is there, or a folder where it should be, is not or is warned about", async () => {
    const present = await startServing(site.dir, ["--quiet", "--spa"]);
    await stop(present.running);
    expect(present.running.stderr()).toBe("");
    mkdirSync(join(site.dir, "app"));
    const folder = await startServing(site.dir, ["--quiet", "--spa=/app"]);
    await stop(folder.running);
    expect(lines(folder.running.stderr())).toEqual([expect.stringMatching(/^simplehttp: warning: --spa file 'app' /)]);
  });

  it("an --spa file outside the root is exit 2 with the core's one line", async () => {
    await expectUsageError(run(["0", "--bind", "127.0.0.1", "--directory", site.dir, "--spa=../etc/passwd"]), /spa/);
  });
});

describe("--mime", () => {
  it("types files by suffix, whatever its case, and unknown ones with =TYPE; the rest as before", async () => {
    writeFileSync(join(site.dir, "notes.MD"), "# notes");
    writeFileSync(join(site.dir, "Makefile"), "all:");
    writeFileSync(join(site.dir, "app.log"), "ok");
    const { running, port } = await startServing(site.dir, ["-q", "--mime", "md=text/x-markdown", "--mime=.log=x/y"]);
    const type = async (path: string) => (await get(`http://127.0.0.1:${port}${path}`)).headers.get("content-type");
    expect(await type("/notes.MD")).toBe("text/x-markdown; charset=utf-8");
    expect(await type("/app.log")).toBe("x/y");
    expect(await type("/Makefile")).toBe("application/octet-stream");
    expect(await type("/a.txt")).toBe("text/plain; charset=utf-8");
    await stop(running);
    const plain = await startServing(site.dir, ["-q", "--mime", "=text/plain"]);
    expect((await get(`http://127.0.0.1:${plain.port}/Makefile`)).headers.get("content-type")).toBe(
      "text/plain; charset=utf-8",
    );
    await stop(plain.running);
  });

  it("a mistake is exit 2 with one line, before serving", async () => {
    await expectUsageError(
      run(["0", "--bind", "127.0.0.1", "--directory", site.dir, "--mime", ".md=markdown"]),
      /^simplehttp: error: invalid --mime '\.md=markdown': expected \.EXT=TYPE, such as \.md=text\/markdown$/,
    );
  });
});

describe("--auth", () => {
  const basic = (credentials: string) => ({
    authorization: `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`,
  });
  const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; // SHA-256 of "test"

  it("asks every request for a user; UTF-8 names, colons in passwords and sha256 entries work", async () => {
    const { running, port } = await startServing(site.dir, [
      "--quiet",
      "--auth",
      "zoë:pa:ss",
      "--auth",
      `bo:sha256:${hash}`,
    ]);
    const url = `http://127.0.0.1:${port}/a.txt`;
    const denied = await get(url);
    expect(denied.status).toBe(401);
    expect(denied.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect((await get(url, { headers: basic("zoë:pa:ss") })).status).toBe(200);
    expect((await get(url, { headers: basic("zoë:pa") })).status).toBe(401);
    expect((await get(url, { headers: basic("bo:test") })).status).toBe(200);
    expect(lines(running.stderr())).toEqual([]); // loopback: no warning
    await stop(running);
  });

  it("never logs a password or the Authorization header, in any format", async () => {
    for (const format of ["python", "common", "combined", "json", "terminal"]) {
      const flags = format === "terminal" ? [] : ["--log-format", format];
      const env = plainEnv(format === "terminal" ? { FORCE_COLOR: "1" } : {});
      const { running, port } = await startServing(site.dir, ["--auth", "ana:hunter2", ...flags], { env });
      for (const credentials of ["ana:hunter2", "ana:wrong-secret", "hunter2:hunter2"]) {
        await (
          await get(`http://127.0.0.1:${port}/a.txt`, {
            headers: { ...basic(credentials), "user-agent": "ua", referer: "http://r.test/" },
          })
        ).arrayBuffer();
      }
      const log = await waitUntil(
        running,
        () => (lines(running.stderr()).length >= 3 ? running.stderr() : undefined),
        5000,
        `3 ${format} lines`,
      );
      for (const secret of ["hunter2", "wrong-secret", "Basic", "YW5h", "aHVudGVy"])
        expect(log, `${format} log`).not.toContain(secret);
      await stop(running);
    }
  });

  it("warns once on stderr when the password would travel in clear beyond loopback", async () => {
    const running = run(["0", "--directory", site.dir, "--auth", "ana:hunter2"]);
    await banner(running);
    // The warning is written before the banner.
    expect(lines(running.stderr())).toEqual([
      expect.stringMatching(
        /^simplehttp: warning: --auth over plain HTTP on all interfaces: passwords travel in clear text/,
      ),
    ]);
    expect(running.stderr()).not.toContain("hunter2");
    await stop(running);
  });
});

describe.each(RUNTIME_NAMES)("on %s", (runtime) => {
  it("the port defaults to $PORT", async () => {
    const { port: free, release } = await occupyPort();
    await release(); // free again: a port the system just gave, for $PORT to name
    const running = run(["--bind", "127.0.0.1", "--directory", site.dir, "--quiet"], {
      runtime,
      env: plainEnv({ PORT: String(free) }),
    });
    expect((await banner(running)).port).toBe(free);
    await stop(running);
  });

  it("a busy port is exit 2, saying how to get a free one", async () => {
    const { port, release } = await occupyPort();
    try {
      await expectUsageError(
        run([String(port), "--bind", "127.0.0.1", "--directory", site.dir], { runtime }),
        new RegExp(
          `^simplehttp: error: 127\\.0\\.0\\.1 port ${port} is already in use \\(simplehttp 0 picks a free port\\)$`,
        ),
      );
    } finally {
      await release();
    }
  });

  it("--open hands the URL to xdg-open, and without one says so in one line and keeps serving", async () => {
    const bin = join(site.dir, `bin-${runtime}`);
    mkdirSync(bin);
    const opened = join(bin, "opened.txt");
    writeFileSync(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(join(bin, "xdg-open"), 0o755);
    const withOpener = run(["0", "--bind", "127.0.0.1", "--directory", site.dir, "--open"], {
      runtime,
      env: plainEnv({ PATH: bin }),
    });
    const { port } = await banner(withOpener);
    await pollUntil(() => existsSync(opened) && readFileSync(opened, "utf8") !== "", 5000, "xdg-open to run");
    expect(readFileSync(opened, "utf8")).toBe(`http://127.0.0.1:${port}/`);
    expect(withOpener.stderr()).toBe("");
    await stop(withOpener);

    const without = run(["0", "--bind", "127.0.0.1", "--directory", site.dir, "--open"], {
      runtime,
      env: plainEnv({ PATH: join(site.dir, "no-such-dir") }),
    });
    const second = await banner(without);
    const said = await waitUntil(
      without,
      () => (without.stderr().includes("\n") ? lines(without.stderr()) : undefined),
      5000,
      "the line about the browser",
    );
    expect(said).toEqual([
      `simplehttp: could not open a browser (xdg-open not found); open http://127.0.0.1:${second.port}/ yourself`,
    ]);
    expect((await get(`http://127.0.0.1:${second.port}/a.txt`)).status).toBe(200);
    await stop(without);
  });
});
