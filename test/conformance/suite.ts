/**
 * The HTTP conformance suite: written once, run against a live server of every target (Node, Bun,
 * Deno, workerd). Every target serves the same fixture (fixture.ts) with SERVER_OPTIONS, so every
 * answer must be the same; a difference between runtimes is a bug, not a case to skip.
 */
import { randomBytes } from "node:crypto";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { platformSkip } from "../setup/skip-reporter.ts";
import { listedEntries } from "../support/listing.ts";
import { type PipelinedRequest, type RawConnection, type RawResponse, requestBytes } from "../support/raw-http.ts";
import { BIG_SIZE, bigByte, GZ_TEXT, LAST_MODIFIED, MTIME, ORDERED_NAMES, TEXT } from "./fixture.ts";
import { type SuiteClient, suiteClient, TRANSPORT_TRAITS, type Transport } from "./transport.ts";

export interface Target {
  url: string;
  port: number;
  /** The directory served, for targets on a real filesystem (tests may change files under it). */
  root?: string;
  /**
   * Writes the file at `path` (from the root; an object's key in a bucket), last modified at
   * `mtimeMs` (by default now), for the cases that change what is served. Every target has it and
   * removeFile but those with `fixedFiles`.
   */
  writeFile?(path: string, content: string | Uint8Array, mtimeMs?: number): Promise<void>;
  removeFile?(path: string): Promise<void>;
  stop(): Promise<void>;
}

/** Why a target whose files are fixed (PlatformTraits.fixedFiles) skips the cases that change them. */
const FIXED_FILES = "the in-memory filesystem is built once: its files cannot change";

/** Secrets no response may contain, whatever the request. */
const SECRETS = ["SECRET=conformance-dotfile", "[core] secret", "TOP-SECRET-outside-the-root"];

/** What a target's platform does on its own, which no handler can change. */
export interface PlatformTraits {
  /**
   * The platform replaces the request's Accept-Encoding before the handler sees it (workerd, like
   * Cloudflare's edge, always says `br, gzip` and leaves decoding to the edge), so the handler
   * cannot pick identity for a client that did not ask for an encoding.
   */
  rewritesAcceptEncoding?: boolean;
  /**
   * The platform's own HTTP server answers an absolute-form target with dot segments itself, with
   * a 500, before any handler runs (workerd's URL parser refuses it); no byte of a file is sent.
   */
  failsAbsoluteFormItself?: boolean;
  /** Serves a real filesystem, with the symlinks and FIFO of fixture-disk.ts (workerd has none). */
  disk?: boolean;
  /**
   * Serves the in-memory filesystem, built once from a fixed map (memoryFileSystem has no call that
   * changes a file): what is served cannot change while the target runs.
   */
  fixedFiles?: boolean;
  /**
   * The runtime's file API cannot name a file whose name is not UTF-8 (Deno takes and gives
   * strings only, and writes U+FFFD for such bytes), so such a file answers 404 and is not listed.
   */
  stringOnlyFileNames?: boolean;
  /** ETags come from the store (R2's quoted MD5 of the content), not from time and size. */
  storeETags?: boolean;
  /**
   * The platform sends a body that is a stream chunked, dropping its Content-Length (Bun.serve,
   * oven-sh/bun#10507): a bucket's object over 256 KiB is such a stream. A HEAD still says the
   * length. Chunked framing is valid HTTP/1.1 (RFC 9112 §7.1); the bytes are checked all the same.
   */
  chunkedStreams?: boolean;
  /**
   * The platform closes a connection, answering nothing, when a pipelined request arrives while
   * the handler awaits real I/O (Bun 1.4, oven-sh/bun#38128), which a handler over a bucket always
   * does: pipelining cannot be offered there.
   */
  dropsPipelinedWhileAwaiting?: boolean;
  /**
   * The platform stops answering a client that half-closes (TCP FIN) once it has sent its
   * requests: a bare `Bun.serve` cuts a 5 MB `Bun.file` short, a bare `Deno.serve` sends none.
   */
  stopsAtHalfClose?: boolean;
  /**
   * The platform resolves `.` and `..` segments and reads `\` as `/` before the worker sees the
   * URL (workerd, as Cloudflare's edge does): no handler there can see the target as sent, so such
   * a target is served as the path the platform made of it, never outside the root.
   */
  normalisesTargets?: boolean;
  /** How the suite talks to the target (transport.ts). @default "http" */
  transport?: Transport;
}

const STOPS_AT_HALF_CLOSE =
  "the platform stops answering a client that half-closes: Bun.serve cuts a file short (oven-sh/bun#38107, open), " +
  "Deno.serve answers nothing (hyper's half_close is off)";

export function conformanceSuite(name: string, start: () => Promise<Target>, traits: PlatformTraits = {}): void {
  describe(`conformance: ${name}`, () => {
    let target: Target;
    let client: SuiteClient;
    const transport = traits.transport ?? "http";
    const carries = TRANSPORT_TRAITS[transport];
    beforeAll(async () => {
      target = await start();
      client = suiteClient(transport, target.url, target.port);
    }, 60_000);
    afterAll(async () => {
      client?.close();
      await target?.stop();
    });

    const get: SuiteClient["get"] = (path, init) => client.get(path, init);
    const raw: SuiteClient["raw"] = (path, headers, options) => client.raw(path, headers, options);
    const writeFile = async (path: string, content: string | Uint8Array, mtimeMs?: number): Promise<void> => {
      if (target.writeFile === undefined) throw new Error(`${name}: a target whose files change must give writeFile`);
      await target.writeFile(path, content, mtimeMs);
    };
    // A listing is gzipped for a client that accepts gzip. Raw requests send no Accept-Encoding and
    // get the page as it is, but where the platform rewrites the header to `br, gzip` (workerd).
    const listingBody = (response: RawResponse): string => {
      const coding = response.headers["content-encoding"];
      if (coding === undefined) return response.body.toString();
      expect([coding, traits.rewritesAcceptEncoding]).toEqual(["gzip", true]);
      return gunzipSync(response.body).toString();
    };
    const etagForm = traits.storeETags ? /^"[0-9a-f]{32}"$/ : /^"[0-9a-z]+-[0-9a-z]+"$/;
    // What each target cannot offer, said once: a case it stops is reported as a platform skip.
    const files = traits.fixedFiles ? "the in-memory filesystem" : "a bucket";
    const noDisk = traits.disk ? undefined : `${files} has no symlinks and no FIFOs`;
    const noPipelining = !carries.pipelining
      ? "HTTP/2 has no pipelining: it multiplexes streams on one connection (RFC 9113 §5)"
      : traits.dropsPipelinedWhileAwaiting
        ? "the platform closes the connection on a request pipelined while the handler awaits I/O (oven-sh/bun#38128)"
        : undefined;

    const scheme = transport === "http" ? "http" : "https";
    const protocol = { http: "HTTP/1.1", https: "HTTP/1.1 over TLS", h2: "HTTP/2 (ALPN h2)" }[transport];
    it(`serves ${protocol} at an ${scheme} URL`, async () => {
      expect(target.url).toMatch(new RegExp(`^${scheme}://127\\.0\\.0\\.1:\\d+/$`));
      expect((await raw("/hello.txt")).status).toBe(200);
      expect(client.protocol()).toBe(transport === "h2" ? "h2" : undefined);
    });

    describe("the seed", () => {
      it("serves a file with Content-Type, Content-Length, Last-Modified, ETag and Server", async () => {
        // Raw, without Accept-Encoding: an edge platform may compress for a client that accepts it.
        const response = await raw("/hello.txt");
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(TEXT);
        expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
        expect(response.headers["content-length"]).toBe(String(TEXT.length));
        expect(response.headers["last-modified"]).toBe(LAST_MODIFIED);
        expect(response.headers.etag).toMatch(etagForm);
        expect(response.headers.server).toMatch(/^simplehttp\/\d+\.\d+\.\d+/);
      });

      const bigFraming = traits.chunkedStreams
        ? ", chunked as the platform sends a stream"
        : " with its Content-Length";
      it(`serves a 3 MiB file byte-exact${bigFraming}`, async () => {
        const response = await raw("/big.bin");
        expect(response.status).toBe(200);
        if (traits.chunkedStreams) expect(response.headers["transfer-encoding"]).toBe("chunked");
        else {
          expect(response.headers["content-length"]).toBe(String(BIG_SIZE));
          expect(response.headers["transfer-encoding"]).toBeUndefined();
        }
        expectBigBytes(response.body, 0, BIG_SIZE - 1);
      });

      it("answers HEAD with GET's status and headers and no body", async () => {
        for (const path of ["/hello.txt", "/big.bin", "/docs/", "/missing.txt"]) {
          const full = await raw(path);
          const head = await raw(path, {}, { method: "HEAD" });
          expect(head.status, path).toBe(full.status);
          expect(head.body.length, path).toBe(0);
          for (const header of ["content-type", "content-length", "etag", "last-modified"]) {
            // A GET the platform sent chunked has no Content-Length: HEAD's is the body's length.
            const chunked = full.headers["transfer-encoding"] === "chunked" && traits.chunkedStreams;
            const expected = header === "content-length" && chunked ? String(full.body.length) : full.headers[header];
            expect(head.headers[header], `${path} ${header}`).toBe(expected);
          }
        }
      });

      it("serves an empty file as 200 with Content-Length 0", async () => {
        const response = await raw("/empty.txt");
        expect(response.status).toBe(200);
        expect(response.headers["content-length"]).toBe("0");
      });

      it.each([
        ["/page.html", "text/html; charset=utf-8"],
        ["/data.json", "application/json; charset=utf-8"],
        ["/app.js", "text/javascript; charset=utf-8"],
        ["/module.wasm", "application/wasm"],
        ["/no-extension", "application/octet-stream"],
      ])("types %s as %s", async (path, type) => {
        expect((await get(path)).headers.get("content-type")).toBe(type);
      });

      it("serves index.html before index.htm, and index.htm alone", async () => {
        expect(await (await get("/site/")).text()).toBe("<h1>site</h1>");
        expect(await (await get("/legacy/")).text()).toBe("<h1>legacy</h1>");
      });

      it("lists a directory; every link serves what it names; dotfiles are not listed", async () => {
        const response = await get("/docs/");
        expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
        const html = await response.text();
        expect(html).toContain('<a href="../">../</a>');
        const hrefs = listedEntries(html).map((entry) => entry.href);
        expect(hrefs).toEqual([
          "sub/",
          "a%20b.txt",
          "guide.txt",
          "na%C3%AFve%20%E6%97%A5%E6%9C%AC.txt",
          "x%23y%25%26%3Cw%3E.txt",
        ]);
        for (const href of hrefs.filter((h) => h.endsWith(".txt"))) {
          expect((await get(new URL(href, new URL("/docs/", target.url)).pathname)).status, href).toBe(200);
        }
        expect(hrefs).not.toContain(".hidden");
      });

      const notUtf8 = traits.stringOnlyFileNames
        ? "answers 404 for a file whose name is not UTF-8, and leaves it out: the platform names files by strings"
        : "lists a file whose name is not UTF-8 with U+FFFD, and serves it from its own bytes (/inv%FFalid.txt)";
      it(notUtf8, async () => {
        const listing = listingBody(await raw("/bytes/"));
        const file = await raw("/bytes/inv%FFalid.txt");
        const inner = await raw("/bytes/d%E9/in.txt");
        if (traits.stringOnlyFileNames) {
          // Never another file, never a 500: absent, and not listed.
          expect([file.status, inner.status]).toEqual([404, 404]);
          expect(listing).not.toContain("%FF");
          expect(listing).not.toContain("%E9");
          return;
        }
        expect(listing).toContain('<a href="inv%FFalid.txt">inv\uFFFDalid.txt</a>');
        expect(listing).toContain('<a href="d%E9/">d\uFFFD/</a>');
        expect(file.status).toBe(200);
        expect(file.body.toString()).toBe("not UTF-8");
        expect(inner.body.toString()).toBe("inside a folder whose name is not UTF-8");
        expect((await raw("/bytes/d%E9")).headers.location).toBe("/bytes/d%E9/");
        // U+FFFD itself is another name, which nothing here has.
        expect((await raw("/bytes/inv%EF%BF%BDalid.txt")).status).toBe(404);
      });

      it("redirects a directory without its slash with 301, keeping the query", async () => {
        const response = await get("/docs?a=1&b=%2F");
        expect(response.status).toBe(301);
        expect(response.headers.get("location")).toBe("/docs/?a=1&b=%2F");
      });

      it("answers 404 for a missing file, and for a file with a trailing slash", async () => {
        expect((await get("/missing.txt")).status).toBe(404);
        expect((await get("/hello.txt/")).status).toBe(404);
      });

      it("§9.1 answers methods it does not implement (PROPPATCH, PATCH, DELETE) with 405 and Allow", async () => {
        for (const method of ["PROPPATCH", "PATCH", "DELETE"]) {
          const response = await raw("/hello.txt", {}, { method });
          expect(response.status, method).toBe(405);
          expect(response.headers.allow, method).toBe("GET, HEAD, OPTIONS, PROPFIND");
        }
      });

      it("answers POST with 405 and Allow, and OPTIONS with 204", async () => {
        const post = await get("/hello.txt", { method: "POST", body: "x" });
        expect(post.status).toBe(405);
        expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS, PROPFIND");
        expect((await get("/hello.txt", { method: "OPTIONS" })).status).toBe(204);
      });

      it("hides dotfiles but serves /.well-known/", async () => {
        expect((await get("/.env")).status).toBe(404);
        expect((await get("/.git/config")).status).toBe(404);
        expect(await (await get("/.well-known/security.txt")).text()).toBe("Contact: mailto:security@example.com");
      });
    });

    describe("listings for people and scripts", () => {
      it("sorts naturally with folders first, by size on ?sort=size, and filters on ?q=", async () => {
        const labels = async (query: string) =>
          listedEntries(listingBody(await raw(`/docs/${query}`))).map((entry) => entry.label);
        expect(await labels("")).toEqual(["sub/", "a b.txt", "guide.txt", "naïve 日本.txt", "x#y%&<w>.txt"]);
        expect(await labels("?sort=size&order=desc")).toEqual([
          "sub/",
          "naïve 日本.txt",
          "guide.txt",
          "a b.txt",
          "x#y%&<w>.txt",
        ]);
        expect(await labels("?q=GUI")).toEqual(["guide.txt"]);
      });

      it("answers JSON and text by Accept, with Vary: Accept; a page with its Content-Security-Policy", async () => {
        const json = await raw("/docs/", { Accept: "application/json" });
        expect(json.headers["content-type"]).toBe("application/json; charset=utf-8");
        expect(json.headers.vary).toContain("Accept");
        const listing = JSON.parse(listingBody(json)) as {
          path: string;
          entries: { name: string; kind: string; url: string }[];
        };
        expect(listing.path).toBe("/docs/");
        expect(listing.entries.map((entry) => entry.url)).toEqual([
          "/docs/sub/",
          "/docs/a%20b.txt",
          "/docs/guide.txt",
          "/docs/na%C3%AFve%20%E6%97%A5%E6%9C%AC.txt",
          "/docs/x%23y%25%26%3Cw%3E.txt",
        ]);
        const text = await raw("/docs/?format=text");
        expect(listingBody(text)).toBe("sub/\na b.txt\nguide.txt\nnaïve 日本.txt\nx#y%25&<w>.txt\n");
        const page = await raw("/docs/");
        expect(page.headers["content-security-policy"]).toMatch(
          /^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+';/,
        );
        expect(page.headers["x-content-type-options"]).toBe("nosniff");
      });

      it("orders names as a person reads them in every form: accents by their letter, numbers by value", async () => {
        // By code point, Ärger and éclair would come after Zebra, and file10 before file2.
        const json = JSON.parse(listingBody(await raw("/order/?format=json"))) as { entries: { name: string }[] };
        expect(json.entries.map((entry) => entry.name)).toEqual(ORDERED_NAMES);
        expect(listingBody(await raw("/order/?format=text"))).toBe(`${ORDERED_NAMES.join("\n")}\n`);
        expect(listedEntries(listingBody(await raw("/order/"))).map((entry) => entry.label)).toEqual(ORDERED_NAMES);
      });

      it("gzips a listing for a client that accepts it, with Vary; the bytes decode to the page itself", async () => {
        const gzipped = await raw("/docs/", { "Accept-Encoding": "gzip" });
        expect(gzipped.headers["content-encoding"]).toBe("gzip");
        expect(gzipped.headers.vary).toContain("Accept-Encoding");
        // Decoded once, it is the page: a platform that compressed it again (workerd, unless told
        // the body is encoded) would leave gzip here.
        const page = gunzipSync(gzipped.body).toString();
        expect(page).toBe(listingBody(await raw("/docs/")));
        expect(page).toContain('<a href="guide.txt">guide.txt</a>');
      });

      it("answers PROPFIND at depth 1 with what the listing shows, each ETag as GET's (RFC 4918 §9.1)", async () => {
        const found = await raw("/docs/", { Depth: "1" }, { method: "PROPFIND" });
        expect(found.status).toBe(207);
        const xml = found.body.toString();
        const hrefs = [...xml.matchAll(/<D:href>([^<]*)<\/D:href>/g)].map((match) => match[1]);
        expect(hrefs).toEqual([
          "/docs/",
          "/docs/a%20b.txt",
          "/docs/guide.txt",
          "/docs/na%C3%AFve%20%E6%97%A5%E6%9C%AC.txt",
          "/docs/sub/",
          "/docs/x%23y%25%26%3Cw%3E.txt",
        ]);
        const etag = (await raw("/docs/guide.txt")).headers.etag ?? "";
        const guide = /<D:href>\/docs\/guide\.txt<\/D:href>(.*?)<\/D:response>/.exec(xml)?.[1] ?? "";
        expect(guide).toContain(`<D:getetag>${etag}</D:getetag>`);
        expect(guide).toContain("<D:getcontentlength>");
      });

      it("answers a listing's If-None-Match with 304", async () => {
        const tag = (await raw("/docs/")).headers.etag ?? "";
        expect(tag).toMatch(/^W\/"/);
        expect((await raw("/docs/", { "If-None-Match": tag })).status).toBe(304);
      });

      it("answers a listing's old tag with 200 and a new tag once a file was added to the folder", async (ctx) => {
        ctx.skip(traits.fixedFiles === true, platformSkip(FIXED_FILES));
        const tag = (await raw("/docs/")).headers.etag ?? "";
        await writeFile("docs/added.txt", "new");
        try {
          const changed = await raw("/docs/", { "If-None-Match": tag });
          expect(changed.status).toBe(200);
          expect(changed.headers.etag).toMatch(/^W\/"/);
          expect(changed.headers.etag).not.toBe(tag);
          expect(listingBody(changed)).toContain('href="added.txt"');
        } finally {
          await target.removeFile?.("docs/added.txt");
        }
      });
    });

    describe("validators and preconditions (RFC 9110 §13)", () => {
      it("§13.1.3 answers If-Modified-Since at the mtime with 304", async () => {
        expect((await raw("/hello.txt", { "If-Modified-Since": LAST_MODIFIED })).status).toBe(304);
      });

      it("§13.1.2 answers a matching If-None-Match with 304 to GET and HEAD, keeping the validators", async () => {
        const etag = (await get("/hello.txt")).headers.get("etag") ?? "";
        for (const method of ["GET", "HEAD"]) {
          const response = await raw("/hello.txt", { "If-None-Match": `W/${etag}` }, { method });
          expect(response.status).toBe(304);
          expect(response.body.length).toBe(0);
          expect(response.headers.etag).toBe(etag);
          expect(response.headers["last-modified"]).toBe(LAST_MODIFIED);
        }
      });

      it("§13.1.1 answers a failed If-Match with 412", async () => {
        expect((await raw("/hello.txt", { "If-Match": '"other"' })).status).toBe(412);
      });
    });

    describe("byte ranges (RFC 9110 §14)", () => {
      it.each([
        ["bytes=0-99", 0, 99],
        ["bytes=65530-70000", 65530, 70000],
        ["bytes=3000000-", 3000000, BIG_SIZE - 1],
        ["bytes=-100", BIG_SIZE - 100, BIG_SIZE - 1],
        [`bytes=100-${BIG_SIZE * 2}`, 100, BIG_SIZE - 1],
      ])("§14.1.2 serves %s byte-exact", async (range, start, end) => {
        const response = await raw("/big.bin", { Range: range });
        expect(response.status).toBe(206);
        expect(response.headers["content-range"]).toBe(`bytes ${start}-${end}/${BIG_SIZE}`);
        if (!(traits.chunkedStreams && response.headers["transfer-encoding"] === "chunked"))
          expect(response.headers["content-length"]).toBe(String(end - start + 1));
        expect(response.headers["accept-ranges"]).toBe("bytes");
        expectBigBytes(response.body, start, end);
      });

      it("§15.5.17 answers an unsatisfiable range with 416 and bytes */size", async () => {
        const response = await raw("/big.bin", { Range: `bytes=${BIG_SIZE}-` });
        expect(response.status).toBe(416);
        expect(response.headers["content-range"]).toBe(`bytes */${BIG_SIZE}`);
      });

      it("§14.2 ignores an invalid Range and sends the whole file", async () => {
        const response = await raw("/hello.txt", { Range: "bytes=5-1" });
        expect(response.status).toBe(200);
        expect(response.body.toString()).toBe(TEXT);
      });

      it("§14.6 answers several ranges with multipart/byteranges of exact length", async () => {
        const response = await raw("/big.bin", { Range: "bytes=0-9,400000-400009" });
        expect(response.status).toBe(206);
        const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(response.headers["content-type"] ?? "")?.[1];
        expect(boundary).toBeDefined();
        expect(Number(response.headers["content-length"])).toBe(response.body.length);
        const text = response.body.toString("latin1");
        expect(text).toContain(`Content-Range: bytes 0-9/${BIG_SIZE}`);
        expect(text).toContain(`Content-Range: bytes 400000-400009/${BIG_SIZE}`);
        expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
      });

      it("§14.2 ignores Range and If-Range on HEAD: 200 with the whole file's Content-Length", async () => {
        const etag = (await get("/hello.txt")).headers.get("etag") ?? "";
        const cases: Record<string, string>[] = [
          { Range: "bytes=0-9" },
          { Range: "bytes=0-9,400000-400009" },
          { Range: `bytes=${BIG_SIZE}-` },
          { Range: "bytes=0-9", "If-Range": etag },
        ];
        for (const headers of cases) {
          const head = await raw("/big.bin", headers, { method: "HEAD" });
          expect(head.status, JSON.stringify(headers)).toBe(200);
          expect(head.headers["content-length"]).toBe(String(BIG_SIZE));
          expect(head.headers["content-range"]).toBeUndefined();
        }
      });

      it("§13.1.5 applies the Range when If-Range holds, and sends the whole file when not", async () => {
        const etag = (await get("/hello.txt")).headers.get("etag") ?? "";
        expect((await raw("/hello.txt", { Range: "bytes=0-4", "If-Range": etag })).status).toBe(206);
        expect((await raw("/hello.txt", { Range: "bytes=0-4", "If-Range": '"stale"' })).status).toBe(200);
      });
    });

    describe("pipelining (RFC 9112 §9.3.2)", () => {
      // Every kind of answer, each from the path the runtime sends it by: a small file, a large
      // one (Node's pooled buffers), a 304, a 404, a listing, a range, a multipart range, a HEAD.
      const mix = (etag: string): PipelinedRequest[] => [
        { target: "/hello.txt" },
        { target: "/big.bin" },
        { target: "/hello.txt", headers: { "If-None-Match": etag } },
        { target: "/missing.txt" },
        { target: "/docs/" },
        { target: "/big.bin", headers: { Range: "bytes=100-199" } },
        { target: "/big.bin", headers: { Range: "bytes=0-9,400000-400009" } },
        { method: "HEAD", target: "/big.bin" },
        { target: "/hello.txt" },
      ];

      async function expectMixAnswered(connection: RawConnection, requests: PipelinedRequest[]): Promise<void> {
        const responses = await connection.responses(requests);
        expect(responses.map((response) => response.status)).toEqual([200, 200, 304, 404, 200, 206, 206, 200, 200]);
        const [small, big, notModified, missing, listing, range, multipart, head, last] = responses;
        expect(small?.body.toString()).toBe(TEXT);
        expectBigBytes(big?.body ?? Buffer.alloc(0), 0, BIG_SIZE - 1);
        expect(notModified?.body.length).toBe(0);
        expect(missing?.headers["content-type"]).toBe("text/html; charset=utf-8");
        expect(listing && listingBody(listing)).toContain('href="guide.txt"');
        expect(range?.headers["content-range"]).toBe(`bytes 100-199/${BIG_SIZE}`);
        expectBigBytes(range?.body ?? Buffer.alloc(0), 100, 199);
        expect(Number(multipart?.headers["content-length"])).toBe(multipart?.body.length);
        expect(multipart?.body.toString("latin1")).toContain(`Content-Range: bytes 400000-400009/${BIG_SIZE}`);
        expect(head?.headers["content-length"]).toBe(String(BIG_SIZE));
        expect(head?.body.length).toBe(0);
        expect(last?.body.toString()).toBe(TEXT);
        // Nothing more than the nine answers: no stray bytes, no second answer to one request.
        expect(connection.extra.length).toBe(0);
      }

      async function pipelined(cut: (bytes: string) => number[]): Promise<void> {
        const etag = (await raw("/hello.txt")).headers.etag ?? "";
        const requests = mix(etag);
        const connection = client.connection();
        try {
          await connection.send(requests, cut(requests.map(requestBytes).join("")));
          await expectMixAnswered(connection, requests);
          // The connection is still in step: the next request gets its own answer.
          await connection.send([{ target: "/docs/guide.txt" }]);
          const [next] = await connection.responses([{ target: "/docs/guide.txt" }]);
          expect(next?.body.toString()).toBe("guide");
        } finally {
          connection.close();
        }
      }

      beforeEach((ctx) => ctx.skip(noPipelining !== undefined, platformSkip(noPipelining ?? "")));

      it("answers nine requests written in one write, in order, byte-exact; the connection stays usable", async () => {
        await pipelined(() => []);
      });

      it("answers every request of a client that half-closes once it sent them, each whole (nc -N)", async (ctx) => {
        ctx.skip(traits.stopsAtHalfClose === true, platformSkip(STOPS_AT_HALF_CLOSE));
        const etag = (await raw("/hello.txt")).headers.etag ?? "";
        const requests = mix(etag);
        const connection = client.connection();
        try {
          await connection.send(requests);
          await connection.end();
          await expectMixAnswered(connection, requests);
        } finally {
          connection.close();
        }
      });

      it("answers the same requests split at odd boundaries: every 61 bytes and inside each blank line", async () => {
        await pipelined((bytes) => {
          const cuts = Array.from({ length: Math.floor(bytes.length / 61) }, (_, i) => (i + 1) * 61);
          for (let at = bytes.indexOf("\r\n\r\n"); at >= 0; at = bytes.indexOf("\r\n\r\n", at + 4)) cuts.push(at + 3);
          return cuts.sort((a, b) => a - b);
        });
      });
    });

    describe("negotiation and options", () => {
      it("serves the precompressed sibling to a client that accepts gzip, with Vary", async () => {
        const gzipped = await raw("/gz/text.txt", { "Accept-Encoding": "gzip" });
        expect(gzipped.headers["content-encoding"]).toBe("gzip");
        expect(gzipped.headers["content-type"]).toBe("text/plain; charset=utf-8");
        expect(gzipped.headers.vary).toBe("Accept-Encoding");
        // Sent once, not encoded a second time by the platform.
        expect(gunzipSync(gzipped.body).toString()).toBe(GZ_TEXT);
      });

      it("serves the file itself to a client that accepts no encoding, with Vary and its own ETag", async (ctx) => {
        const rewritten = "the platform rewrites Accept-Encoding to br, gzip before the handler: none can decline gzip";
        ctx.skip(traits.rewritesAcceptEncoding === true, platformSkip(rewritten));
        const gzipped = await raw("/gz/text.txt", { "Accept-Encoding": "gzip" });
        const identity = await raw("/gz/text.txt");
        expect(identity.headers["content-encoding"]).toBeUndefined();
        expect(identity.headers.vary).toBe("Accept-Encoding");
        expect(identity.body.toString()).toBe(GZ_TEXT);
        expect(gzipped.headers.etag).not.toBe(identity.headers.etag);
      });

      it("sends CORS headers and answers a preflight", async () => {
        expect((await get("/hello.txt")).headers.get("access-control-allow-origin")).toBe("*");
        const preflight = await get("/hello.txt", {
          method: "OPTIONS",
          headers: { origin: "https://a.example", "access-control-request-method": "GET" },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get("access-control-allow-headers")).toContain("Range");
      });
    });

    describe("hostile request targets (sent byte for byte)", () => {
      it.each([
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
        "/%252e%252e/secret.txt",
      ])("%s gets a 4xx and no secret, and the server answers the next request", async (path) => {
        const response = await raw(path);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        await expectNoSecretThenServed(response);
      });

      // README "Security": a `..` or `.` segment, or a backslash, is refused, never reinterpreted.
      // Node's and Bun's Request resolve them before any handler sees the URL (`/docs/../hello.txt`
      // would be `/hello.txt`), so their adapters give the core the target as sent. Each case with
      // the path a URL parser makes of it, which is what a platform that normalises serves.
      const answeredAs = traits.normalisesTargets
        ? "served as the path the platform made of it"
        : "refused with the server's own 400 page";
      it.for([
        ["/docs\\guide.txt", "/docs/guide.txt"],
        ["/docs/../hello.txt", "/hello.txt"],
        ["/docs/./guide.txt", "/docs/guide.txt"],
        ["/docs/%2e%2e/hello.txt", "/hello.txt"],
        ["/docs/.%2E/hello.txt", "/hello.txt"],
        ["/..\\..\\hello.txt", "/hello.txt"],
        ["/a//../hello.txt", "/a/hello.txt"],
      ] as const)(`%s is ${answeredAs}`, async ([path, normalised]) => {
        const response = await raw(path);
        if (traits.normalisesTargets) {
          const made = await raw(normalised);
          expect([response.status, response.body.toString()]).toEqual([made.status, made.body.toString()]);
          return;
        }
        const plain = await raw("/%00");
        expect(response.status).toBe(400);
        expect(response.headers.server).toMatch(/^simplehttp\//);
        expect(response.body.toString()).toBe(plain.body.toString());
        expect(response.body.toString()).toContain("400 Bad Request");
      });

      const absoluteAnswer = traits.failsAbsoluteFormItself ? "the platform's own 500 before any handler" : "a 4xx";
      it.for(["http://evil.example/../secret.txt", "http://evil.example/%2e%2e/.env"])(
        `%s (absolute form) gets ${absoluteAnswer} and no secret, and the server answers the next request`,
        async (path, ctx) => {
          const noAbsolute = "HTTP/2 has no absolute-form target: :path is origin-form (RFC 9113 §8.3.1)";
          ctx.skip(!carries.absoluteForm, platformSkip(noAbsolute));
          const response = await raw(path);
          if (traits.failsAbsoluteFormItself) expect(response.status).toBe(500);
          else {
            expect(response.status).toBeGreaterThanOrEqual(400);
            expect(response.status).toBeLessThan(500);
          }
          await expectNoSecretThenServed(response);
        },
      );

      async function expectNoSecretThenServed(response: RawResponse): Promise<void> {
        const text = response.raw.toString("latin1");
        for (const secret of SECRETS) expect(text).not.toContain(secret);
        expect((await raw("/hello.txt")).status).toBe(200);
      }

      // The files under the root: symlinks and a FIFO exist only on a disk; changes reach every
      // target but workerd's in-memory one.
      describe("the files under the root: links, a FIFO, changes", () => {
        it("does not follow a symlink out of the root, nor list it", async (ctx) => {
          ctx.skip(noDisk !== undefined, platformSkip(noDisk ?? ""));
          for (const path of ["/escape.txt", "/escape-dir/secret.txt", "/escape-dir/", "/dangling", "/loop-a"]) {
            const response = await raw(path);
            expect(response.status, path).toBe(404);
            for (const secret of SECRETS) expect(response.raw.toString("latin1"), path).not.toContain(secret);
          }
          const listing = await raw("/");
          expect(listing.status).toBe(200);
          for (const name of ["escape.txt", "escape-dir", "dangling", "loop-a", "loop-b"])
            expect(listingBody(listing), name).not.toContain(`>${name}`);
        });

        it("follows a symlink that stays inside the root", async (ctx) => {
          ctx.skip(noDisk !== undefined, platformSkip(noDisk ?? ""));
          expect((await raw("/inside-link.txt")).body.toString()).toBe(TEXT);
        });

        it("answers a FIFO with 404 at once, without opening it", async (ctx) => {
          ctx.skip(noDisk !== undefined, platformSkip(noDisk ?? ""));
          expect((await raw("/fifo", {}, { timeoutMs: 3000 })).status).toBe(404);
          expect((await raw("/hello.txt")).status).toBe(200);
        });

        // "Any cache must never serve stale content." Each case asks once (so a cache would hold
        // the answer), changes the files, and asks again at once, with no sleep in between. The
        // files are the test's own, under fresh/, so the fixture the other cases serve is untouched.
        describe("freshness: the very next request sees a change to the files", () => {
          const written = new Set<string>();
          const put = async (path: string, content: string | Uint8Array, mtimeMs?: number): Promise<void> => {
            written.add(path);
            await writeFile(`fresh/${path}`, content, mtimeMs);
          };
          const remove = async (path: string): Promise<void> => {
            written.delete(path);
            await target.removeFile?.(`fresh/${path}`);
          };
          beforeEach((ctx) => ctx.skip(traits.fixedFiles === true, platformSkip(FIXED_FILES)));
          afterAll(async () => {
            for (const path of written) await remove(path);
          });

          // The old ETag gets 200.
          it("serves a file rewritten with other bytes and size with a new Content-Length and ETag", async () => {
            const [first, second] = ["first version\n", "the second, longer version\n"];
            await put("rewritten.txt", first);
            const before = await raw("/fresh/rewritten.txt");
            expect(before.body.toString()).toBe(first);
            const oldTag = before.headers.etag ?? "";
            expect((await raw("/fresh/rewritten.txt", { "If-None-Match": oldTag })).status).toBe(304);

            await put("rewritten.txt", second);
            const after = await raw("/fresh/rewritten.txt");
            expect(after.status).toBe(200);
            expect(after.body.toString()).toBe(second);
            expect(after.headers["content-length"]).toBe(String(second.length));
            expect(after.headers.etag).toMatch(etagForm);
            expect(after.headers.etag).not.toBe(oldTag);
            const conditional = await raw("/fresh/rewritten.txt", { "If-None-Match": oldTag });
            expect(conditional.status).toBe(200);
            expect(conditional.body.toString()).toBe(second);
          });

          it("serves a file rewritten at its size with a later mtime, with a new ETag and Last-Modified", async () => {
            await put("same-size.txt", "version A\n", MTIME);
            const before = await raw("/fresh/same-size.txt");
            expect(before.body.toString()).toBe("version A\n");
            expect(before.headers["last-modified"]).toBe(LAST_MODIFIED);

            await put("same-size.txt", "version B\n", MTIME + 3_600_000);
            const after = await raw("/fresh/same-size.txt");
            expect(after.body.toString()).toBe("version B\n");
            expect(after.headers["content-length"]).toBe(before.headers["content-length"]);
            expect(after.headers.etag).not.toBe(before.headers.etag);
            expect(after.headers["last-modified"]).toBe("Fri, 02 Jan 2026 04:04:05 GMT");
            expect((await raw("/fresh/same-size.txt", { "If-Modified-Since": LAST_MODIFIED })).status).toBe(200);
          });

          it("serves a 600 KiB file byte-exact after a rewrite in place, and after a rename over it", async (ctx) => {
            const whole = "a bucket has no write in place and no rename: an object is put whole";
            ctx.skip(!traits.disk, platformSkip(whole));
            // Above the 256 KiB a Node server reads into one buffer: this body is streamed.
            const path = join(target.root ?? "", "fresh", "large.bin");
            const [first, second] = [randomBytes(600 * 1024), randomBytes(600 * 1024)];
            const third = randomBytes(700 * 1024);
            await put("large.bin", first);
            expect((await raw("/fresh/large.bin")).body.equals(first)).toBe(true);

            writeFileSync(path, second); // same size, other bytes, same inode
            const rewritten = await raw("/fresh/large.bin");
            expect(rewritten.headers["content-length"]).toBe(String(second.length));
            expect(rewritten.body.equals(second)).toBe(true);

            writeFileSync(`${path}.tmp`, third); // a new inode, another size
            renameSync(`${path}.tmp`, path);
            const replaced = await raw("/fresh/large.bin");
            expect(replaced.headers["content-length"]).toBe(String(third.length));
            expect(replaced.body.equals(third)).toBe(true);
          });

          it("answers 404 for a file just deleted, and 200 for a file just created", async () => {
            await put("doomed.txt", "here");
            expect((await raw("/fresh/doomed.txt")).status).toBe(200);
            await remove("doomed.txt");
            expect((await raw("/fresh/doomed.txt")).status).toBe(404);

            expect((await raw("/fresh/born.txt")).status).toBe(404);
            await put("born.txt", "born");
            const born = await raw("/fresh/born.txt");
            expect(born.status).toBe(200);
            expect(born.body.toString()).toBe("born");
          });

          it("lists a file just added, and the new size of a file that grew", async () => {
            await put("listed/grows.txt", "x".repeat(10));
            expect(listedSizes(listingBody(await raw("/fresh/listed/")))).toEqual({ "grows.txt": "10 B" });

            await put("listed/grows.txt", "x".repeat(3072));
            await put("listed/added.txt", "new");
            const sizes = listedSizes(listingBody(await raw("/fresh/listed/")));
            expect(sizes).toEqual({ "added.txt": "3 B", "grows.txt": "3.0 KiB" });
          });
        });
      });

      it("never redirects off-site: //evil.example/docs stays a local path", async () => {
        const response = await raw("//docs");
        expect(response.status).toBe(301);
        expect(response.headers.location).toBe("/docs/");
      });
    });
  });
}

/** The files of a listing page (links without a trailing slash) → their Size column. */
function listedSizes(html: string): Record<string, string> {
  const files = listedEntries(html).filter((entry) => !entry.href.endsWith("/"));
  return Object.fromEntries(files.map((entry) => [decodeURIComponent(entry.href), entry.size]));
}

function expectBigBytes(body: Uint8Array, start: number, end: number): void {
  expect(body.length).toBe(end - start + 1);
  for (let i = start; i <= end; i++) {
    if (body[i - start] !== bigByte(i)) throw new Error(`byte ${i} is ${body[i - start]}, expected ${bigByte(i)}`);
  }
}
