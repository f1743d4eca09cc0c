/**
 * What the command loads to start (issue 21: a person waits for it, so it loads only what its
 * flags need), read from Node's own module loading (the files of the bundled command, each read as
 * the source modules bundled into it), not timed: how fast it starts is measured by
 * `pnpm bench`, never by a test. Then that each piece left out loads, and answers, when its flag
 * or its first request comes, so the log below could show every one of them.
 */
import { readFileSync, rmSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { platformSkip } from "../../../test/setup/skip-reporter.ts";
import { RawConnection } from "../../../test/support/raw-http.ts";
import { BIN, banner, get, killAll, plainEnv, type Run, run, stop, tempSite } from "./run.ts";

const MODULE_LOG = fileURLToPath(new URL("module-log.mjs", import.meta.url));
// The mark module-log.mjs writes with the banner (a .mjs without types: the same string here).
const BANNER_MARK = "(the banner is written)";

/** What a plain start (a folder, no flag) must not load, each as a part of the loaded URL. */
const NOT_AT_START: Record<string, string> = {
  "the TLS code": "/cli/dist/tls.js",
  "the certificate maker": "/cli/dist/self-signed.js",
  "the DER writer": "/cli/dist/der.js",
  "the bucket": "/cli/dist/bucket.js",
  "the S3 client": "/s3/dist/",
  aws4fetch: "/aws4fetch/",
  "the browser opener": "/cli/dist/open.js",
  "the QR code": "/cli/dist/qr.js",
  uqr: "/uqr/",
  "the help text": "/cli/dist/usage.js",
  "the Bun adapter": "/bun/dist/",
  "the Deno adapter": "/deno/dist/",
  "the listing": "/core/dist/listing/",
  marked: "/marked/",
  "the zip writer": "/core/dist/archive/zip.js",
  "client-zip": "/client-zip/",
  "the tar writer": "/core/dist/archive/tar.js",
  "PUT's answer": "/core/dist/write/put.js",
  "the form upload": "/core/dist/write/form.js",
  multipasta: "/multipasta/",
  "tus's answers": "/core/dist/write/tus.js",
  "the folder writes": "/core/dist/write/folders.js",
  "WebDAV's PROPFIND": "/core/dist/dav/",
  "the watcher": "/disk/dist/watch.js",
  "live reload's tree watch": "/core/dist/live/tree.js",
  "live reload's pages": "/core/dist/live/inject.js",
  "live reload's events": "/core/dist/live/events.js",
};

let site: ReturnType<typeof tempSite>;
let logs = 0;
beforeAll(() => {
  site = tempSite({ "README.md": "# Hello\n\nA *folder*.\n", "a.txt": "a\n" });
});
afterEach(killAll);
afterAll(() => site?.remove());

/** Starts the command on Node with `args`, logging the modules it loads; `loaded()` reads them so far. */
async function started(args: readonly string[]): Promise<{ running: Run; port: number; loaded(): string[] }> {
  const log = join(site.dir, `.modules-${++logs}.log`);
  const running = run([], {
    env: plainEnv({ SIMPLEHTTP_MODULE_LOG: log }),
    raw: {
      command: process.execPath,
      args: ["--import", MODULE_LOG, BIN, "0", "--bind", "127.0.0.1", "--directory", site.dir, ...args],
    },
  });
  const { port } = await banner(running);
  const loaded = () => readFileSync(log, "utf8").split("\n").flatMap(sources);
  running.exited.finally(() => rmSync(log, { force: true }));
  return { running, port, loaded };
}

/** Which source modules went into each file of the bundled command (scripts/bundle.mjs). */
const BUNDLE = JSON.parse(readFileSync(new URL("../bundle/meta.json", import.meta.url), "utf8")) as {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
};

/**
 * The modules a loaded URL stands for: a file of the bundled command for the source modules
 * bundled into it (as `/packages/core/dist/…`, `/node_modules/…/marked/…`), any other for itself.
 */
function sources(url: string): string[] {
  const at = url.indexOf("/packages/cli/bundle/");
  const chunk = at < 0 ? undefined : BUNDLE.outputs[url.slice(at + 1)];
  if (at >= 0 && chunk === undefined) throw new Error(`${url} is not in bundle/meta.json: build again`);
  return chunk === undefined ? [url] : Object.keys(chunk.inputs).map((input) => `/${input}`);
}

/** The names in NOT_AT_START whose module `loaded` holds. */
function present(loaded: readonly string[]): string[] {
  return Object.entries(NOT_AT_START)
    .filter(([, part]) => loaded.some((url) => url.includes(part)))
    .map(([what]) => what);
}

describe("a plain start on Node", () => {
  it("writes its banner before it loads @hono/node-server (its import loads undici), answers at once", async () => {
    const { running, port, loaded } = await started(["--quiet"]);
    // Asked the moment the banner is out: the request waits for the module if it is still loading.
    const response = await get(`http://127.0.0.1:${port}/a.txt`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("a\n");
    const urls = loaded();
    const mark = urls.indexOf(BANNER_MARK);
    const hono = urls.findIndex((url) => url.includes("/@hono/node-server/"));
    expect(mark).toBeGreaterThan(0);
    expect(hono).toBeGreaterThan(mark);
    await stop(running);
  });

  it("answers what a client pipelines at the banner and half-closes at once, while hono loads", async () => {
    const { running, port, loaded } = await started(["--quiet"]);
    const requests = [{ target: "/a.txt" }, { target: "/missing" }, { target: "/a.txt" }];
    const connection = new RawConnection(port);
    try {
      await connection.send(requests);
      await connection.end();
      // Sent before the module was there: its listener answers them once it is.
      const hono = loaded().findIndex((url) => url.includes("/@hono/node-server/"));
      expect(hono === -1 || hono > loaded().indexOf(BANNER_MARK)).toBe(true);
      const answers = await connection.responses(requests);
      expect(answers.map((answer) => answer.status)).toEqual([200, 404, 200]);
      expect(answers[2]?.body.toString()).toBe("a\n");
    } finally {
      connection.close();
    }
    await stop(running);
  });

  it("loads the command, the core and the Node adapter, and nothing a flag or a request would need", async () => {
    const { running, loaded } = await started(["--quiet"]);
    const urls = loaded();
    for (const part of ["/cli/dist/cli.js", "/core/dist/handler/handler.js", "/node/dist/serve.js"])
      expect(urls.some((url) => url.includes(part))).toBe(true);
    expect(present(urls)).toEqual([]);
    await stop(running);
  });
});

describe("what a plain start leaves out loads when it is first needed", () => {
  it("the listing and marked with the first folder shown with its README", async () => {
    const { running, port, loaded } = await started(["--quiet"]);
    const page = await get(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<em>folder</em>");
    expect(present(loaded())).toEqual(["the listing", "marked"]);
    await stop(running);
  });

  it("client-zip with the first zip asked for, the tar writer with the first tar", async () => {
    const { running, port, loaded } = await started(["--quiet", "--archive"]);
    expect(present(loaded())).toEqual([]);
    const zip = await get(`http://127.0.0.1:${port}/?download=zip`);
    expect([zip.status, zip.headers.get("content-type")]).toEqual([200, "application/zip"]);
    expect(new Uint8Array(await zip.arrayBuffer()).subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    expect(present(loaded())).toEqual(["the zip writer", "client-zip"]);
    const tar = await get(`http://127.0.0.1:${port}/?download=tar`, { method: "HEAD" });
    expect(tar.status).toBe(200);
    expect(present(loaded())).toEqual(["the zip writer", "client-zip", "the tar writer"]);
    await stop(running);
  });

  it("each write's answer with the first write of its kind, and PROPFIND's with the first PROPFIND", async () => {
    const { running, port, loaded } = await started(["--quiet", "--delete"]);
    expect(present(loaded())).toEqual([]);
    const url = `http://127.0.0.1:${port}`;
    expect((await get(`${url}/b.txt`, { method: "PUT", body: "b\n" })).status).toBe(201);
    const form = new FormData();
    form.append("file", new Blob(["c\n"]), "c.txt");
    expect((await get(`${url}/`, { method: "POST", body: form, headers: { accept: "application/json" } })).status).toBe(
      201,
    );
    expect((await get(`${url}/d/`, { method: "MKCOL" })).status).toBe(201);
    const dav = await get(`${url}/`, { method: "PROPFIND", headers: { depth: "1" } });
    expect(dav.status).toBe(207);
    expect(present(loaded())).toEqual([
      "the listing",
      "PUT's answer",
      "the form upload",
      "multipasta",
      "the folder writes",
      "WebDAV's PROPFIND",
    ]);
    await stop(running);
  });

  it("the QR encoder with --qr when there is a Network URL to show, not on loopback", async (ctx) => {
    const offline = Object.values(networkInterfaces()).every((infos) => infos?.every((info) => info.internal));
    ctx.skip(offline, platformSkip("no network interface but loopback, so no Network URL"));
    const loopback = await started(["--quiet", "--qr"]);
    expect(present(loopback.loaded())).toEqual([]);
    await stop(loopback.running);
    // A later --bind wins: all interfaces, for a Network URL; nothing connects to them.
    const everywhere = await started(["--quiet", "--qr", "--bind", "0.0.0.0"]);
    expect(present(everywhere.loaded())).toEqual(["the QR code", "uqr"]);
    await stop(everywhere.running);
  });

  it("the watcher with --watch, and the page script and the event stream by the first page", async () => {
    const { running, port, loaded } = await started(["--quiet", "--watch"]);
    expect(present(loaded())).toContain("the watcher");
    const page = await get(`http://127.0.0.1:${port}/`, { headers: { "sec-fetch-dest": "document" } });
    expect(await page.text()).toContain("new EventSource");
    expect(present(loaded())).toEqual([
      "the listing",
      "marked",
      "the watcher",
      "live reload's tree watch",
      "live reload's pages",
      "live reload's events",
    ]);
    await stop(running);
  });

  it("the TLS code and the certificate maker with --tls", async () => {
    const { running, loaded } = await started(["--quiet", "--tls"]);
    expect(present(loaded())).toEqual(["the TLS code", "the certificate maker", "the DER writer"]);
    await stop(running);
  });
});
