/**
 * Traversal, as writes: the security suite's hostile request targets (test/conformance/suite.ts)
 * and more, sent byte for byte as a `PUT` and as the `Destination` of a `MOVE` and a `COPY`; and
 * the links to outside the root, written to, through and over. Each is refused, the whole tree
 * (the root and the folder beside it) is unchanged byte for byte, and the server goes on.
 */
import { describe, expect, it } from "vitest";
import { changes, snapshot } from "./fixture.ts";
import { send } from "./http.ts";
import { expectRefused, expectServing, type Targets } from "./targets.ts";

/** Request targets that name something outside the root, or a name no write may make. */
export const HOSTILE_TARGETS = [
  // The conformance suite's hostile request targets.
  "/../secret.txt",
  "/%2e%2e/secret.txt",
  "/%2E%2e/secret.txt",
  "/..%2fsecret.txt",
  "/docs/..%5c..%5csecret.txt",
  "/%2e%2e%2f.env",
  "/%00",
  "/.env",
  "/%2eenv",
  "/.well-known/../.env",
  "//.env",
  // Encoded separators and NUL inside one segment, raw and encoded `..` reaching the folder beside.
  "/docs%2f..%2f..%2foutside%2fx.txt",
  "/docs%5c..%5c..%5coutside%5cx.txt",
  "/x.txt%00.png",
  "/..",
  "/docs/../../outside/x.txt",
  "/%2e%2e/outside/x.txt",
  "/docs/%2E%2E/%2e%2e/outside/x.txt",
  // A raw backslash, as Windows reads it.
  "/docs\\..\\..\\outside\\x.txt",
  "/..\\outside\\x.txt",
  // Absolute form (RFC 9112 §3.2.2), another host's and this one's.
  "http://evil.example/../secret.txt",
  "http://evil.example/%2e%2e/.env",
  "http://127.0.0.1:PORT/../outside/x.txt",
  // Names a write may not make: a control byte, past NAME_MAX, the server's own temporary prefix.
  "/a%07b.txt",
  `/${"a".repeat(300)}`,
  "/.simplehttp-upload-1-x",
] as const;

/** Destinations of a `MOVE` or `COPY` that lead outside the root, or to a name no write may make. */
const HOSTILE_DESTINATIONS = [
  "/../secret.txt",
  "/%2e%2e/secret.txt",
  "/..%2fsecret.txt",
  "/docs/..%5c..%5csecret.txt",
  "/%2e%2e/outside/x.txt",
  "/docs/../../outside/x.txt",
  "/docs\\..\\..\\outside\\x.txt",
  "/%00",
  "/x.txt%00",
  "/.env",
  "//.env",
  "/.well-known/../.env",
  "/a%07b.txt",
  `/${"a".repeat(300)}`,
  "http://127.0.0.1:PORT/../outside/secret.txt",
  "http://127.0.0.1:PORT/%2e%2e/outside/x.txt",
  "../outside/x.txt",
  "outside/x.txt",
  // The links out of the root: through a folder link, and a file link or a dangling one as the target.
  "/link-out/x.txt",
  "/link-out/secret.txt",
  "/escape.txt",
  "/dangling-out",
  "/prefix-trick/x.txt",
  "/prefix-trick/kept.txt",
] as const;

/** The server's `PORT` put in a target or destination. */
const withPort = (text: string, port: number): string => text.replace("PORT", String(port));

export function traversalCases(targets: Targets): void {
  describe("traversal, as writes: nothing outside the root, nothing at all", () => {
    const servers = ["full", "createOnly"] as const;

    it.for(HOSTILE_TARGETS)("PUT %s is refused, writes nothing anywhere, and the server goes on", async (target) => {
      const at = targets();
      for (const which of servers) {
        const before = snapshot(at.base);
        const server = at[which];
        const response = await send(server.port, "PUT", withPort(target, server.port), "evil");
        expectRefused(response.status, `${which}: PUT ${target}`);
        expect(snapshot(at.base), which).toEqual(before);
        await expectServing(server);
      }
    });

    it("PUT /%252e%252e/x.txt writes the name %2e%2e inside the root, decoded once, and nothing else", async () => {
      const at = targets();
      const before = snapshot(at.base);
      const response = await send(at.full.port, "PUT", "/%252e%252e/x.txt", "literal");
      expect(response.status).toBe(201);
      expect(response.headers.location).toBe("/%252e%252e/x.txt");
      expect(changes(before, snapshot(at.base))).toEqual(["root/%2e%2e", "root/%2e%2e/x.txt"]);
      expect((await send(at.full.port, "DELETE", "/%252e%252e/")).status).toBe(204);
      expect(snapshot(at.base)).toEqual(before);
    });

    it.for(["MOVE", "COPY"] as const)("%s to a hostile Destination is refused and changes nothing", async (method) => {
      const at = targets();
      for (const which of servers) {
        const server = at[which];
        for (const destination of HOSTILE_DESTINATIONS) {
          const before = snapshot(at.base);
          const Destination = withPort(destination, server.port);
          for (const Overwrite of ["T", "F"]) {
            const response = await send(server.port, method, "/movable.txt", "", { Destination, Overwrite });
            expectRefused(response.status, `${which}: ${method} to ${Destination}, Overwrite: ${Overwrite}`);
          }
          expect(snapshot(at.base), `${which}: ${method} to ${Destination}`).toEqual(before);
        }
        await expectServing(server);
      }
    });

    it("MOVE or COPY to another server is a 502 (RFC 4918 §9.9.4), dot segments too; nothing changes", async () => {
      const at = targets();
      const before = snapshot(at.base);
      for (const method of ["MOVE", "COPY"])
        for (const Destination of ["http://evil.example/x.txt", "http://evil.example/../secret.txt"]) {
          const response = await send(at.full.port, method, "/movable.txt", "", { Destination });
          expect(response.status, `${method} to ${Destination}`).toBe(502);
        }
      expect(snapshot(at.base)).toEqual(before);
    });

    // The prefix trick (updog#72) too: `root-evil` is beside the root, not in it.
    it("never writes through a link out of the root, nor over one: PUT, MKCOL, DELETE, MOVE from it", async () => {
      const at = targets();
      const before = snapshot(at.base);
      for (const which of servers) {
        const { port } = at[which];
        const through = ["/link-out/x.txt", "/link-out/secret.txt", "/link-out/keep/x.txt"];
        for (const target of [...through, "/prefix-trick/x.txt", "/prefix-trick/kept.txt"]) {
          const response = await send(port, "PUT", target, "evil");
          expect(response.status, `${which}: PUT ${target}`).toBe(404);
        }
        // A link at the name is never replaced nor written through, whatever the switches.
        for (const target of ["/escape.txt", "/dangling-out"]) {
          const response = await send(port, "PUT", target, "evil");
          expect(response.status, `${which}: PUT ${target}`).toBe(409);
        }
        for (const target of ["/link-out/made", "/prefix-trick/made"]) {
          expectRefused((await send(port, "MKCOL", target)).status, `${which}: MKCOL ${target}`);
        }
      }
      const { port } = at.full;
      // A link at the Destination is refused whatever Overwrite says: a conflict, not RFC 4918
      // §9.9.4's 412, which says Overwrite: F met something there.
      for (const method of ["MOVE", "COPY"]) {
        for (const Destination of ["/escape.txt", "/dangling-out"]) {
          const answer = await send(port, method, "/movable.txt", "", { Destination, Overwrite: "T" });
          expect([answer.status, answer.body.toString()], `${method} to ${Destination}`).toEqual([
            409,
            expect.stringContaining("a link at the Destination is never replaced"),
          ]);
        }
      }
      expect((await send(port, "DELETE", "/link-out/secret.txt")).status).toBe(404);
      expect((await send(port, "DELETE", "/link-out/keep/")).status).toBe(404);
      expect((await send(port, "DELETE", "/prefix-trick/kept.txt")).status).toBe(404);
      const moved = await send(port, "MOVE", "/link-out/secret.txt", "", { Destination: "/stolen.txt" });
      expect(moved.status).toBe(404);
      expect(snapshot(at.base)).toEqual(before);
    });
  });
}
