/**
 * The site options on every target: a single-page app's shell, clean URLs (`--ext html`), the
 * site's own 404 page, and Basic auth (RFC 7617), served with SITE_OPTIONS. Written once, run
 * against a live server of each runtime and workerd, like suite.ts; every request but the auth
 * cases carries valid credentials.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SITE_USERS } from "./fixture.ts";
import type { Target } from "./suite.ts";
import { type SuiteClient, suiteClient } from "./transport.ts";

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
const ANA = { Authorization: basic("ana", SITE_USERS.ana) };
const HTML = { ...ANA, Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const SHELL = "<!doctype html><p>the app's shell</p>";
const OWN_404 = "<!doctype html><p>this site's own 404</p>";

export function siteOptionsSuite(name: string, start: () => Promise<Target>): void {
  describe(`site options: ${name}`, () => {
    let target: Target;
    let client: SuiteClient;
    beforeAll(async () => {
      target = await start();
      client = suiteClient("http", target.url, target.port);
    }, 60_000);
    afterAll(async () => {
      client?.close();
      await target?.stop();
    });
    const raw = (path: string, headers: Record<string, string> = ANA, method?: string) =>
      client.raw(path, headers, method ? { method } : {});

    describe("Basic auth (RFC 7617)", () => {
      it("answers a request without credentials, or wrong ones, 401 with a UTF-8 challenge, no content", async () => {
        const attempts: Record<string, string>[] = [
          {},
          { Authorization: basic("ana", "s3cret") },
          { Authorization: basic("bo", SITE_USERS.ana) },
          { Authorization: "Bearer x" },
        ];
        for (const headers of attempts) {
          const response = await raw("/hello.txt", headers);
          expect(response.status, JSON.stringify(headers)).toBe(401);
          expect(response.headers["www-authenticate"]).toBe('Basic realm="simplehttp", charset="UTF-8"');
          expect(response.body.toString()).not.toContain("hello from simplehttp");
        }
      });

      it("serves the users it knows: a password with colons, a UTF-8 name and password kept as SHA-256", async () => {
        expect((await raw("/hello.txt")).status).toBe(200);
        expect((await raw("/hello.txt", { Authorization: basic("jürgen", SITE_USERS.jürgen) })).status).toBe(200);
      });

      it("answers a CORS preflight without credentials (Fetch standard §4.8), and no other OPTIONS", async () => {
        expect(
          (
            await raw(
              "/hello.txt",
              { Origin: "https://app.example", "Access-Control-Request-Method": "GET" },
              "OPTIONS",
            )
          ).status,
        ).toBe(204);
        expect((await raw("/hello.txt", {}, "OPTIONS")).status).toBe(401);
      });
    });

    describe("clean URLs and a single-page app", () => {
      it("serves about.html for /about, with 200 and no redirect; a directory still wins", async () => {
        const about = await raw("/about");
        expect(about.status).toBe(200);
        expect(about.body.toString()).toBe("<!doctype html><p>about</p>");
        expect((await raw("/docs")).status).toBe(301);
      });

      it("answers a page load of a path that names nothing with the app's shell, real files winning", async () => {
        for (const path of ["/settings", "/users/42/profile"]) {
          const response = await raw(path, HTML);
          expect(response.status, path).toBe(200);
          expect(response.body.toString(), path).toBe(SHELL);
        }
        expect((await raw("/hello.txt", HTML)).body.toString()).toBe("hello from simplehttp\n");
        expect((await raw("/site/", HTML)).body.toString()).toBe("<h1>site</h1>");
      });

      it("keeps a missing asset, a request that does not accept HTML and /.well-known/ a 404", async () => {
        expect((await raw("/app2.js", HTML)).status).toBe(404);
        expect((await raw("/settings", { ...ANA, Accept: "application/json" })).status).toBe(404);
        expect((await raw("/.well-known/change-password", HTML)).status).toBe(404);
      });
    });

    describe("the site's own 404 page", () => {
      it("answers every path that names nothing with it and status 404, a hidden file too, and no secret", async () => {
        for (const path of ["/missing.txt", "/docs/gone.txt", "/.env"]) {
          const response = await raw(path);
          expect(response.status, path).toBe(404);
          expect(response.body.toString(), path).toBe(OWN_404);
          expect(response.raw.toString("latin1"), path).not.toContain("SECRET=");
        }
      });

      it("never replaces a 400, a 401 or a 405", async () => {
        for (const [path, headers, method, status] of [
          ["/a%2fb", ANA, undefined, 400],
          ["/missing.txt", {}, undefined, 401],
          ["/hello.txt", ANA, "DELETE", 405],
        ] as const) {
          const response = await raw(path, headers, method);
          expect(response.status, path).toBe(status);
          expect(response.body.toString(), path).not.toContain("this site's own 404");
        }
      });
    });
  });
}
