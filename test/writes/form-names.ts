/**
 * Traversal through a form's file names (miniserve#518: `filename="../../x"` wrote anywhere): a
 * multipart body written by hand, each hostile name sent as the one file of a form `POST`, and
 * the folders a form may name (a link out of the root). Each is refused, and nothing is written
 * anywhere; a plain name is stored, so the form itself works.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { changes, snapshot } from "./fixture.ts";
import { type FormFile, postForm } from "./http.ts";
import { expectRefused, expectServing, type Targets } from "./targets.ts";

/** File names a form may not create, as they go between the quotes (or as the whole parameter). */
const HOSTILE_NAMES: readonly [string, FormFile][] = [
  ["../../x", { filename: "../../x.txt", content: "evil" }],
  ["a/../../x", { filename: "a/../../x.txt", content: "evil" }],
  ["../outside/x", { filename: "../outside/x.txt", content: "evil" }],
  ["..\\x (a raw backslash)", { filename: "..\\x.txt", content: "evil" }],
  ["..\\\\x (two backslashes)", { filename: "..\\\\x.txt", content: "evil" }],
  ["C:\\x", { filename: "C:\\x.txt", content: "evil" }],
  ["/x (absolute)", { filename: "/x.txt", content: "evil" }],
  ["a//x (an empty segment)", { filename: "a//x.txt", content: "evil" }],
  ["./x", { filename: "./x.txt", content: "evil" }],
  [".env", { filename: ".env", content: "SECRET=planted" }],
  ["docs/.git/config", { filename: "docs/.git/config", content: "evil" }],
  ["a 300-byte name", { filename: `${"a".repeat(296)}.txt`, content: "evil" }],
  ["a name with a control byte", { filename: "a\x07b.txt", content: "evil" }],
  ["a name with ESC", { filename: "a\x1b[31mred.txt", content: "evil" }],
  ["the server's temporary prefix", { filename: ".simplehttp-upload-1-x", content: "evil" }],
  // RFC 5987 §3.2 / RFC 7578 §4.2: an encoded name must be checked once decoded.
  ["filename* of ../../x", { filename: "", parameter: "filename*=UTF-8''..%2F..%2Fx.txt", content: "evil" }],
  ["filename* with a control byte", { filename: "", parameter: "filename*=UTF-8''a%07b.txt", content: "evil" }],
  // Through, and onto, the links out of the root.
  ["link-out/x", { filename: "link-out/x.txt", content: "evil" }],
  ["link-out/keep/x", { filename: "link-out/keep/x.txt", content: "evil" }],
  ["prefix-trick/x (a sibling whose name starts as the root's)", { filename: "prefix-trick/x.txt", content: "evil" }],
  ["escape.txt (a link out)", { filename: "escape.txt", content: "evil" }],
  ["dangling-out (a dangling link out)", { filename: "dangling-out", content: "evil" }],
];

export function formNameCases(targets: Targets): void {
  describe("traversal through a form's file names", () => {
    it.for(HOSTILE_NAMES)("a form file named %s is refused and writes nothing anywhere", async ([, file]) => {
      const at = targets();
      for (const which of ["full", "createOnly"] as const) {
        const before = snapshot(at.base);
        const response = await postForm(at[which].port, "/", [file]);
        expectRefused(response.status, `${which}: ${JSON.stringify(file)}`);
        expect(JSON.parse(response.body.toString()), which).toMatchObject({ stored: [] });
        expect(snapshot(at.base), which).toEqual(before);
        await expectServing(at[which]);
      }
    });

    it("a form POST to a folder reached through a link out of the root stores nothing", async () => {
      const at = targets();
      const before = snapshot(at.base);
      for (const target of ["/link-out/", "/link-out/keep/", "/prefix-trick/", "/escape.txt"]) {
        const response = await postForm(at.full.port, target, [{ filename: "x.txt", content: "evil" }]);
        expectRefused(response.status, target);
      }
      expect(snapshot(at.base)).toEqual(before);
    });

    it("a form of a refused name among good ones is refused, and the good ones it stored are reported", async () => {
      const at = targets();
      const before = snapshot(at.base);
      const files = [
        { filename: "form-a.txt", content: "a" },
        { filename: "../form-evil.txt", content: "evil" },
      ];
      const response = await postForm(at.full.port, "/docs/", files);
      expect(response.status).toBe(400);
      const answer = JSON.parse(response.body.toString()) as { stored: { name: string }[] };
      // What was stored before the refusal is said; nothing of the refused file is anywhere.
      const stored = answer.stored.map(({ name }) => `root/docs/${name}`);
      expect(changes(before, snapshot(at.base))).toEqual(stored);
      for (const name of stored) expect(readFileSync(`${at.base}/${name}`, "utf8")).toBe("a");
    });

    it("a form of plain names is stored, folders and all: the form works, so its refusals mean something", async () => {
      const at = targets();
      const before = snapshot(at.base);
      const files = [
        { filename: "form-plain.txt", content: "plain" },
        { filename: "form-dir/inner.txt", content: "inner" },
      ];
      const response = await postForm(at.full.port, "/docs/", files);
      expect(response.status).toBe(201);
      expect(changes(before, snapshot(at.base))).toEqual([
        "root/docs/form-dir",
        "root/docs/form-dir/inner.txt",
        "root/docs/form-plain.txt",
      ]);
      expect(readFileSync(`${at.root}/docs/form-dir/inner.txt`, "utf8")).toBe("inner");
    });
  });
}
