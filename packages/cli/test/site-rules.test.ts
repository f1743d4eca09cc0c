/**
 * The site's `_redirects` and `_headers` from the command: the lines they skip are written before
 * the banner, once, and again when a changed file is read; `--no-site-rules` serves them as files.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { warningLine } from "../src/site-rules.ts";
import { get, killAll, lines, pollUntil, RUNTIME_NAMES, startServing, stop, tempSite } from "./run.ts";

const REDIRECTS = "/old /new.txt 301\n/bad\n";
const HEADERS = "/*\n  X-Site: yes\n  X Bad: 1\n";
const STARTUP = [
  "simplehttp: warning: _redirects:2: expected 'from to [status]', got 1 word: /bad",
  "simplehttp: warning: _headers:3: a header name has no spaces: X Bad: 1",
];

let site: ReturnType<typeof tempSite>;
beforeAll(() => {
  site = tempSite({ "new.txt": "new\n", _redirects: REDIRECTS, _headers: HEADERS });
});
afterEach(killAll);
afterAll(() => site?.remove());

describe("the site's rules from the command", () => {
  it("escapes a line's control characters, so no rule file writes to the terminal", () => {
    const line = warningLine({ file: "_redirects", line: 7, text: "/a\x1b[31m", message: "why" });
    expect(line).toBe("simplehttp: warning: _redirects:7: why: /a\\x1b[31m");
  });

  for (const runtime of RUNTIME_NAMES) {
    it(`${runtime}: writes the skipped lines before the banner, once, and again when the file changes`, async () => {
      writeFileSync(join(site.dir, "_redirects"), REDIRECTS);
      const { running, port } = await startServing(site.dir, ["--quiet"], { runtime });
      expect(lines(running.stderr())).toEqual(STARTUP);
      const old = await get(`http://127.0.0.1:${port}/old?a=1`, { redirect: "manual" });
      expect([old.status, old.headers.get("location"), old.headers.get("x-site")]).toEqual([
        301,
        "/new.txt?a=1",
        "yes",
      ]);
      expect((await get(`http://127.0.0.1:${port}/_redirects`)).status).toBe(404);
      // The first request read the files again, and said nothing it had said.
      expect(lines(running.stderr())).toEqual(STARTUP);
      writeFileSync(join(site.dir, "_redirects"), "/old /newer.txt 308\n/worse x y z\n");
      const changed = await get(`http://127.0.0.1:${port}/old`, { redirect: "manual" });
      expect([changed.status, changed.headers.get("location")]).toEqual([308, "/newer.txt"]);
      const reread = "simplehttp: warning: _redirects:2: expected 'from to [status]', got 4 words: /worse x y z";
      await pollUntil(() => lines(running.stderr()).includes(reread), 5000, "the changed file's warning");
      expect(lines(running.stderr())).toEqual([...STARTUP, reread]);
      await stop(running);
    });
  }

  it("says nothing of a rule file that is a link out of the root, which the server does not follow", async () => {
    const outside = mkdtempSync(join(tmpdir(), "simplehttp-rules-outside-"));
    const linked = tempSite({ "new.txt": "new\n" });
    try {
      writeFileSync(join(outside, "_redirects"), "/old /new.txt 301\nnot a rule at all\n");
      symlinkSync(join(outside, "_redirects"), join(linked.dir, "_redirects"));
      const { running, port } = await startServing(linked.dir, ["--quiet"]);
      expect((await get(`http://127.0.0.1:${port}/old`, { redirect: "manual" })).status).toBe(404);
      expect(running.stderr()).toBe("");
      await stop(running);
    } finally {
      linked.remove();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("--no-site-rules serves the rule files as files and follows none of them", async () => {
    writeFileSync(join(site.dir, "_redirects"), REDIRECTS);
    const { running, port } = await startServing(site.dir, ["--quiet", "--no-site-rules"]);
    expect(running.stderr()).toBe("");
    const file = await get(`http://127.0.0.1:${port}/_redirects`);
    expect([file.status, await file.text(), file.headers.get("x-site")]).toEqual([200, REDIRECTS, null]);
    expect((await get(`http://127.0.0.1:${port}/old`, { redirect: "manual" })).status).toBe(404);
    await stop(running);
  });
});
