/**
 * Cross-site writes over HTTP: what a browser adds to a write another site's page makes it send
 * (`Origin`, `Sec-Fetch-Site`), on a PUT, a form POST (a CORS "simple request": no preflight, the
 * CSRF of simple-http-server#57) and the WebDAV methods. Each is a 403 before anything is read or
 * written; the same write from the share's own page is stored, so the refusals are the guard's.
 * Real pages in Chromium: test/browser/write-origins.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { snapshot } from "./fixture.ts";
import { postForm, send } from "./http.ts";
import type { Targets } from "./targets.ts";

/** What a browser sends with a write from a page that is not the share's own. */
const CROSS_SITE: readonly [string, (port: number) => Record<string, string>][] = [
  ["Origin: https://evil.example", () => ({ Origin: "https://evil.example" })],
  ["Sec-Fetch-Site: cross-site", () => ({ "Sec-Fetch-Site": "cross-site" })],
  // Another port of the same host is the same site but another origin (RFC 6454 §4).
  ["Sec-Fetch-Site: same-site", (port) => ({ "Sec-Fetch-Site": "same-site", Origin: `http://127.0.0.1:${port + 1}` })],
  ["Origin: null (a sandboxed page)", () => ({ Origin: "null" })],
  ["the Origin of another port", (port) => ({ Origin: `http://127.0.0.1:${port + 1}` })],
  ["the Origin of another name for this host", (port) => ({ Origin: `http://localhost:${port}` })],
  [
    "a cross-site Sec-Fetch-Site with the share's own Origin",
    (port) => ({
      Origin: `http://127.0.0.1:${port}`,
      "Sec-Fetch-Site": "cross-site",
    }),
  ],
];

export function crossSiteCases(targets: Targets): void {
  describe("cross-site writes", () => {
    it.for(CROSS_SITE)(
      "a PUT, a form POST, MKCOL, DELETE, MOVE and COPY with %s: 403, nothing written",
      async ([, headers]) => {
        const at = targets();
        const { port } = at.full;
        const from = headers(port);
        const before = snapshot(at.base);
        const answers = [
          await send(port, "PUT", "/cross-site.txt", "planted", from),
          await postForm(port, "/", [{ filename: "cross-site.txt", content: "planted" }], from),
          await send(port, "MKCOL", "/cross-site/", "", from),
          await send(port, "DELETE", "/hello.txt", "", from),
          await send(port, "MOVE", "/movable.txt", "", { ...from, Destination: "/moved.txt" }),
          await send(port, "COPY", "/movable.txt", "", { ...from, Destination: "/copied.txt" }),
        ];
        expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 403));
        expect(answers[0]?.body.toString()).toContain("a write from another site&#39;s page is refused");
        expect(snapshot(at.base)).toEqual(before);
      },
    );

    it("the same PUT and form POST from the share's own page (its Origin, same-origin) are stored", async () => {
      const at = targets();
      const { port } = at.full;
      const own = { Origin: `http://127.0.0.1:${port}`, "Sec-Fetch-Site": "same-origin" };
      expect((await send(port, "PUT", "/own-origin.txt", "mine", own)).status).toBe(201);
      const form = await postForm(port, "/", [{ filename: "own-form.txt", content: "mine too" }], own);
      expect(form.status).toBe(201);
      expect(readFileSync(`${at.root}/own-origin.txt`, "utf8")).toBe("mine");
      expect(readFileSync(`${at.root}/own-form.txt`, "utf8")).toBe("mine too");
      // A client that is no browser sends neither header, and carries no visitor's credentials.
      expect((await send(port, "DELETE", "/own-origin.txt")).status).toBe(204);
      expect((await send(port, "DELETE", "/own-form.txt", "", own)).status).toBe(204);
    });
  });
}
