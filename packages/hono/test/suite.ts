/**
 * What the middleware must do in the fixture app (fixture-app.ts), whatever runs it: each runtime's
 * test file starts the app its own way and hands over a client.
 */

import type { ListingJson } from "@simplehttp/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The running app, as a client sees it: redirects are never followed. */
export interface Target {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export function describeMiddleware(runtime: string, start: () => Promise<Target>): void {
  describe(`the Hono middleware on ${runtime}`, () => {
    let target: Target | undefined;
    beforeAll(async () => {
      target = await start();
    }, 60_000);
    afterAll(async () => {
      await target?.stop();
    });
    const request = (path: string, init?: RequestInit): Promise<Response> => {
      if (target === undefined) throw new Error("the app did not start");
      return target.fetch(path, init);
    };
    const text = async (path: string, init?: RequestInit): Promise<string> => (await request(path, init)).text();
    const location = async (path: string): Promise<string | null> => {
      const response = await request(path);
      await response.arrayBuffer();
      expect(response.status).toBe(301);
      return response.headers.get("location");
    };
    const listed = async (path: string): Promise<string[]> => {
      const listing = (await (await request(path, { headers: { accept: "application/json" } })).json()) as ListingJson;
      return listing.entries.map((entry) => entry.url);
    };

    it("serves files under the mount point", async () => {
      const response = await request("/static/docs/readme.txt");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await response.text()).toBe("read me");
      expect(await text("/static/")).toBe("<h1>static home</h1>");
    });

    it("answers HEAD with the file's headers and no body", async () => {
      const response = await request("/static/digits.txt", { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe("10");
      expect(await response.text()).toBe("");
    });

    it("redirects a directory to its slash form inside the mount point", async () => {
      expect(await location("/static/docs")).toBe("/static/docs/");
      expect(await location("/static")).toBe("/static/");
    });

    it("lists a directory with links under the mount point", async () => {
      const page = await text("/static/docs/");
      expect(page).toContain("Directory listing for /static/docs/");
      expect(page).toContain('href="/static/"');
      expect(await listed("/static/docs/")).toEqual(["/static/docs/guide/", "/static/docs/readme.txt"]);
    });

    it("answers a byte range with 206", async () => {
      const response = await request("/static/digits.txt", { headers: { range: "bytes=2-5" } });
      expect(response.status).toBe(206);
      expect(response.headers.get("content-range")).toBe("bytes 2-5/10");
      expect(await response.text()).toBe("2345");
    });

    it("answers 304 to a request whose ETag still matches", async () => {
      const first = await request("/static/digits.txt");
      await first.arrayBuffer();
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^"/);
      const again = await request("/static/digits.txt", { headers: { "if-none-match": etag ?? "" } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
    });

    it("passes a path that names nothing on to a later route", async () => {
      const response = await request("/static/missing.txt");
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("fallback");
    });

    it("passes a method other than GET and HEAD on to the app's routes", async () => {
      expect(await text("/static/docs/readme.txt", { method: "POST", body: "x" })).toBe("posted");
    });

    it("answers PROPFIND itself, as the read it is: the listing of the mount's folder", async () => {
      const response = await request("/static/docs/", { method: "PROPFIND", headers: { depth: "1" } });
      expect(response.status).toBe(207);
      expect(await response.text()).toContain("<D:href>/static/docs/readme.txt</D:href>");
    });

    it("answers a CORS preflight for reading, and passes one for writing on", async () => {
      const preflight = (method: string) =>
        request("/static/digits.txt", {
          method: "OPTIONS",
          headers: { origin: "https://app.example", "access-control-request-method": method },
        });
      const read = await preflight("GET");
      await read.arrayBuffer();
      expect(read.status).toBe(204);
      expect(read.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
      const write = await preflight("PUT");
      await write.arrayBuffer();
      expect(write.status).toBe(404); // no route of the app takes it
    });

    it('answers the 404 itself with onNotFound: "respond"', async () => {
      const response = await request("/strict/missing.txt");
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("custom 404");
    });

    it('answers other methods itself with onOtherMethod: "respond"', async () => {
      const response = await request("/strict/digits.txt", { method: "DELETE" });
      await response.arrayBuffer();
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND");
    });

    it("serves a sub-app's mount point under the path app.route() or basePath() gave it", async () => {
      expect(await text("/assets/static/docs/readme.txt")).toBe("read me");
      expect(await location("/assets/static/docs")).toBe("/assets/static/docs/");
      expect(await listed("/assets/static/docs/")).toContain("/assets/static/docs/readme.txt");
      expect(await text("/assets/static/missing.txt")).toBe("sub fallback");
      expect(await location("/based/files/docs")).toBe("/based/files/docs/");
    });

    it("serves one middleware mounted at two prefixes under each", async () => {
      expect(await location("/mirror/docs")).toBe("/mirror/docs/");
      expect(await listed("/mirror/docs/")).toEqual(["/mirror/docs/guide/", "/mirror/docs/readme.txt"]);
      expect(await location("/static/docs")).toBe("/static/docs/");
      expect(await listed("/static/docs/guide/")).toEqual(["/static/docs/guide/intro.txt"]);
    });

    it("takes the mount point from a route with a pattern or a parameter", async () => {
      expect(await location("/re/docs")).toBe("/re/docs/");
      expect(await text("/re/docs/readme.txt")).toBe("read me");
      expect(await location("/en/files/docs")).toBe("/en/files/docs/");
      expect(await listed("/fr/files/docs/")).toContain("/fr/files/docs/readme.txt");
    });

    it("keeps a mount point percent-encoded as the request spelled it", async () => {
      expect(await location("/d%C3%A4t%C3%A4/docs")).toBe("/d%C3%A4t%C3%A4/docs/");
      expect(await text("/d%C3%A4t%C3%A4/docs/readme.txt")).toBe("read me");
      // A character the URL parser leaves raw is encoded, and the redirect still leads back here.
      expect(await location("/a|b/docs")).toBe("/a%7Cb/docs/");
      expect(await listed("/a%7Cb/docs/")).toContain("/a%7Cb/docs/readme.txt");
    });

    it("answers a PUT itself when write is on: 201 with a Location under the mount, then the file", async () => {
      const put = await request("/inbox/new.txt", { method: "PUT", body: "hello" });
      await put.arrayBuffer();
      expect(put.status).toBe(201);
      expect(put.headers.get("location")).toBe("/inbox/new.txt");
      expect(await text("/inbox/new.txt")).toBe("hello");
      const replaced = await request("/inbox/new.txt", { method: "PUT", body: "hello again" });
      await replaced.arrayBuffer();
      expect(replaced.status).toBe(204);
      expect(await text("/inbox/new.txt")).toBe("hello again");
    });

    it("answers MKCOL, MOVE and COPY to a Destination under the mount, a form POST and DELETE", async () => {
      const status = async (path: string, init: RequestInit): Promise<number> => {
        const response = await request(path, init);
        await response.arrayBuffer();
        return response.status;
      };
      expect(await status("/inbox/folder/", { method: "MKCOL" })).toBe(201);
      await status("/inbox/moving.txt", { method: "PUT", body: "moved" });
      const destination = { destination: "/inbox/folder/moved.txt" };
      expect(await status("/inbox/moving.txt", { method: "MOVE", headers: destination })).toBe(201);
      expect(await text("/inbox/folder/moved.txt")).toBe("moved");
      const copy = { destination: "/inbox/folder/copied.txt" };
      expect(await status("/inbox/folder/moved.txt", { method: "COPY", headers: copy })).toBe(201);
      const form = new FormData();
      form.append("file", new Blob(["from a form"]), "form.txt");
      const posted = { method: "POST", body: form, headers: { accept: "application/json" } };
      expect(await status("/inbox/folder/", posted)).toBe(201);
      expect(await text("/inbox/folder/form.txt")).toBe("from a form");
      expect(await status("/inbox/folder/", { method: "DELETE" })).toBe(204);
      expect(await status("/inbox/folder/copied.txt", {})).toBe(404);
      // A write that names nothing is answered here too, not passed on.
      expect(await status("/inbox/none.txt", { method: "DELETE" })).toBe(404);
    });

    it("moves within a mount point whose spelling the URL parser leaves raw (`|`)", async () => {
      await (await request("/in|box/raw.txt", { method: "PUT", body: "raw" })).arrayBuffer();
      const moved = await request("/in|box/raw.txt", {
        method: "MOVE",
        headers: { destination: "/in|box/cooked.txt" },
      });
      await moved.arrayBuffer();
      expect(moved.status).toBe(201);
      expect(await text("/in%7Cbox/cooked.txt")).toBe("raw");
    });

    it("leaves to the app the writes its switches do not allow; answers a preflight for those they do", async () => {
      expect(await text("/drop/x.txt", { method: "DELETE" })).toBe("the app's delete");
      const put = await request("/drop/dropped.txt", { method: "PUT", body: "dropped" });
      await put.arrayBuffer();
      expect(put.status).toBe(201);
      const preflight = await request("/inbox/new.txt", {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "PUT" },
      });
      await preflight.arrayBuffer();
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    });

    it("leaves the app's other routes to Hono", async () => {
      expect(await (await request("/api/hello")).json()).toEqual({ hello: "from hono" });
      const response = await request("/nowhere");
      await response.arrayBuffer();
      expect(response.status).toBe(404);
    });
  });
}
