/**
 * Who may write, with a password only for writing (`auth` with `publicRead`: the command's
 * `--auth … --public-read`, miniserve#1516): anyone reads; a write without the password, with a
 * wrong one or an unknown user's is a 401, and the three 401s are the same bytes but the Date, so
 * the answer tells no user names apart (static-web-server's CVE-2026-27480 told them by an early
 * return); nothing is written. A browser holding the password still cannot write for another
 * site's page: the cross-site refusal holds with valid credentials.
 */
import { describe, expect, it } from "vitest";
import type { RawResponse } from "../support/raw-http.ts";
import { snapshot } from "./fixture.ts";
import { postForm, send } from "./http.ts";
import { type Targets, WRITER } from "./targets.ts";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The response's bytes without its Date line, which alone may differ between two answers. */
const undated = (response: RawResponse) => response.raw.toString("latin1").replace(/\r\ndate: [^\r]*/i, "");

export function publicReadCases(targets: Targets): void {
  describe("a password only for writing (publicRead)", () => {
    it("anyone reads; a write without the password, or with a wrong one, is a 401 and writes nothing", async () => {
      const at = targets();
      const { port } = at.publicRead;
      expect((await send(port, "GET", "/hello.txt")).status).toBe(200);
      const before = snapshot(at.base);
      const refusals = new Map<string, string>();
      for (const authorization of [
        undefined,
        basic(WRITER.user, "wrong"),
        basic("nobody", WRITER.password),
        basic("nobody", "wrong"),
        "Basic !!!",
        "Bearer s3cret",
      ]) {
        const as: Record<string, string> = authorization === undefined ? {} : { Authorization: authorization };
        const answers = [
          await send(port, "PUT", "/public-read.txt", "planted", as),
          await postForm(port, "/", [{ filename: "public-read.txt", content: "planted" }], as),
          await send(port, "MKCOL", "/public-read/", "", as),
          await send(port, "DELETE", "/hello.txt", "", as),
          await send(port, "MOVE", "/movable.txt", "", { ...as, Destination: "/moved.txt" }),
        ];
        expect(
          answers.map((answer) => answer.status),
          String(authorization),
        ).toEqual(answers.map(() => 401));
        expect(answers[0]?.headers["www-authenticate"]).toBe('Basic realm="simplehttp", charset="UTF-8"');
        refusals.set(String(authorization), undated(answers[0] as RawResponse));
      }
      // A wrong password and an unknown user get the very same answer.
      expect(new Set(refusals.values()).size).toBe(1);
      expect(snapshot(at.base)).toEqual(before);
    });

    it("the user with the password writes; with it, another site's page still cannot", async () => {
      const at = targets();
      const { port } = at.publicRead;
      const authorization = { Authorization: basic(WRITER.user, WRITER.password) };
      const before = snapshot(at.base);
      const crossSite = { ...authorization, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" };
      expect((await send(port, "PUT", "/with-password.txt", "planted", crossSite)).status).toBe(403);
      expect((await send(port, "DELETE", "/hello.txt", "", crossSite)).status).toBe(403);
      expect(snapshot(at.base)).toEqual(before);
      expect((await send(port, "PUT", "/with-password.txt", "mine", authorization)).status).toBe(201);
      expect((await send(port, "DELETE", "/with-password.txt", "", authorization)).status).toBe(204);
      expect(snapshot(at.base)).toEqual(before);
    });
  });
}
