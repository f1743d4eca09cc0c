import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  type ByteRange,
  createHandler,
  createResponder,
  type DeferredBody,
  type FileSystem,
  memoryFileSystem,
  toResponse,
} from "../src/index.js";

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const SIZE = 10_000;
// Byte i is i % 251 (a prime), so every offset is recognisable in a body.
const data = Uint8Array.from({ length: SIZE }, (_, i) => i % 251);
const text = "All work and no play makes Jack a dull boy.\n".repeat(100);
// Deferred streams hand out this much per pull, so a part spans several chunks.
const CHUNK = 1024;

const plain = memoryFileSystem(
  {
    "data.bin": data,
    "text.txt": text,
    "hello.txt": "hello world\n",
    "docs/guide.txt": "guide",
    "app.js": text,
    "app.js.gz": new Uint8Array([31, 139, 1, 2, 3]),
  },
  { mtime: MTIME },
);
const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());
// Latin-1 keeps one char per byte, so a body can be compared as text.
const latin1 = (body: Uint8Array) => Array.from(body, (b) => String.fromCharCode(b)).join("");
const boundary = (headers: Headers) => /boundary=(\S+)$/.exec(headers.get("content-type") ?? "")?.[1] ?? "";
const pairs = (headers: Headers) => [...headers];
// Lets a stream's pending pulls and cancels run out before their outcome is checked.
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** One DeferredBody handed out by read(), and what became of it. */
interface Handed {
  range: ByteRange;
  streamed: number;
  cancelled: number;
  /** The stream stream() gave was read to its end, or cancelled by its reader. */
  released: boolean;
}

/**
 * What became of a body: "streamed" (once, and its stream read out or cancelled), "cancelled"
 * (once, never streamed), or what went wrong.
 */
const outcome = ({ streamed, cancelled, released }: Handed) =>
  streamed === 1 && cancelled === 0 && released
    ? "streamed"
    : streamed === 0 && cancelled === 1
      ? "cancelled"
      : `streamed ${streamed}×, cancelled ${cancelled}×, released: ${released}`;

/** A DeferredBody of `content`, whose stream gives CHUNK-sized pieces only on demand, as a file's does. */
function deferredBody(content: Uint8Array<ArrayBuffer>, range: ByteRange): [DeferredBody, Handed] {
  const record: Handed = { range, streamed: 0, cancelled: 0, released: false };
  let offset = 0;
  const source: UnderlyingDefaultSource<Uint8Array<ArrayBuffer>> = {
    pull(controller) {
      if (offset < content.byteLength) {
        controller.enqueue(content.slice(offset, offset + CHUNK));
        offset += CHUNK;
        return;
      }
      record.released = true;
      controller.close();
    },
    cancel() {
      record.released = true;
    },
  };
  const stream = () => {
    record.streamed++;
    return new ReadableStream(source, { highWaterMark: 0 });
  };
  return [{ stream, cancel: () => void record.cancelled++ }, record];
}

/** `base`, with read() answering a DeferredBody (for the ranges `defer` picks) and recording each one handed out. */
function deferredFileSystem(base: FileSystem, defer: (range: ByteRange) => boolean = () => true) {
  const handed: Handed[] = [];
  const fs: FileSystem = {
    ...base,
    async read(path, range) {
      const content = await base.read(path, range);
      if (!(content instanceof Uint8Array)) throw new TypeError("memoryFileSystem read no bytes");
      if (!defer(range)) return content;
      const [body, record] = deferredBody(content, range);
      handed.push(record);
      return body;
    },
  };
  return { fs, handed };
}

const request = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  new Request(`http://localhost${path}`, { method, headers });

describe("deferred bodies through createHandler", () => {
  const serve = (options: { compress?: boolean } = {}) => {
    const { fs, handed } = deferredFileSystem(plain);
    return { handler: createHandler({ fs, ...options }), handed };
  };
  const plainHandler = createHandler({ fs: plain });

  it("serves a whole file from one deferred body, streamed once", async () => {
    const { handler, handed } = serve();
    const response = await handler(request("/data.bin"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(SIZE));
    expect(await bytes(response)).toEqual(data);
    expect(handed.map(({ range }) => range)).toEqual([{ start: 0, end: SIZE - 1 }]);
    expect(handed.map(outcome)).toEqual(["streamed"]);
  });

  it("§14.4 serves a single range as a 206 with Content-Range from one deferred body of that range", async () => {
    const { handler, handed } = serve();
    const response = await handler(request("/data.bin", { range: "bytes=1000-3499" }));
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 1000-3499/${SIZE}`);
    expect(response.headers.get("content-length")).toBe("2500");
    expect(await bytes(response)).toEqual(data.slice(1000, 3500));
    expect(handed.map(({ range }) => range)).toEqual([{ start: 1000, end: 3499 }]);
    expect(handed.map(outcome)).toEqual(["streamed"]);
  });

  it("§14.6 sends several ranges as the very multipart/byteranges the bytes give, but for the boundary", async () => {
    const { handler, handed } = serve();
    const range = "bytes=0-99,1000-3499,-1500";
    const [deferred, reference] = [
      await handler(request("/data.bin", { range })),
      await plainHandler(request("/data.bin", { range })),
    ];
    expect(deferred.status).toBe(206);
    const [got, expected] = [await bytes(deferred), await bytes(reference)];
    // §14.6: Content-Length is exact, though the parts were streams when it was set.
    expect(deferred.headers.get("content-length")).toBe(String(got.byteLength));
    expect(got.byteLength).toBe(expected.byteLength);
    const [mine, theirs] = [boundary(deferred.headers), boundary(reference.headers)];
    expect(mine).not.toBe("");
    const normalise = (all: [string, string][], b: string) =>
      all.map(([name, value]) => [name, value.replaceAll(b, "BOUNDARY")]);
    expect(normalise(pairs(deferred.headers), mine)).toEqual(normalise(pairs(reference.headers), theirs));
    expect(latin1(got).replaceAll(mine, "BOUNDARY")).toBe(latin1(expected).replaceAll(theirs, "BOUNDARY"));
    expect(handed.map(({ range }) => range)).toEqual([
      { start: 0, end: 99 },
      { start: 1000, end: 3499 },
      { start: SIZE - 1500, end: SIZE - 1 },
    ]);
    expect(handed.map(outcome)).toEqual(["streamed", "streamed", "streamed"]);
  });

  // §14.2: a Range on HEAD is ignored.
  it("§9.3.2 answers HEAD with GET's status and no body, without reading the file", async () => {
    const { handler, handed } = serve({ compress: true });
    const cases: [string, Record<string, string>][] = [
      ["/data.bin", {}],
      ["/data.bin", { range: "bytes=0-99" }],
      ["/data.bin", { range: "bytes=0-99,1000-3499" }],
      ["/text.txt", { "accept-encoding": "gzip" }],
    ];
    for (const [path, headers] of cases) {
      const { range: _ignoredOnHead, ...sameWithoutRange } = headers;
      const get = await handler(request(path, sameWithoutRange));
      await get.body?.cancel();
      const head = await handler(request(path, headers, "HEAD"));
      expect(head.status).toBe(get.status);
      expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
      expect(head.body).toBeNull();
    }
    await settle();
    // Only the four GETs read: HEAD never calls read(), so it leaves no body to give up.
    expect(handed).toHaveLength(4);
    expect(handed.map(outcome)).toEqual(["streamed", "streamed", "streamed", "streamed"]);
  });

  it("§8.4.1.3 gzips a deferred text file on the fly into bytes that gunzip to the file", async () => {
    const { handler, handed } = serve({ compress: true });
    const response = await handler(request("/text.txt", { "accept-encoding": "gzip" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.has("content-length")).toBe(false);
    expect(new TextDecoder().decode(gunzipSync(await bytes(response)))).toBe(text);
    expect(handed.map(outcome)).toEqual(["streamed"]);
  });
});

describe("cancelling a multipart body (§14.6)", () => {
  const range = "bytes=0-99,1000-3499,-1500";
  /** Reads the first chunk of the response for `fs`, checks it opens the first part, then cancels the body. */
  async function cancelAfterFirstChunk(fs: FileSystem): Promise<void> {
    const response = await createHandler({ fs })(request("/data.bin", { range }));
    expect(response.status).toBe(206);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(latin1(first?.value ?? new Uint8Array())).toMatch(/^--simplehttp-/);
    await reader?.cancel();
    await settle();
  }

  it("gives up the deferred parts read ahead and not yet streamed", async () => {
    // The first part is bytes, so the read-ahead goes on to the second, a deferred body.
    const { fs, handed } = deferredFileSystem(plain, ({ start }) => start !== 0);
    await cancelAfterFirstChunk(fs);
    expect(handed.map(({ range }) => range.start)).toEqual([1000]);
    expect(handed.map(outcome)).toEqual(["cancelled"]);
  });

  it("gives up a part whose read was still pending when the body was cancelled", async () => {
    const { fs: inner, handed } = deferredFileSystem(plain);
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The second part's read waits at the gate: the client cancels while it is pending.
    const fs: FileSystem = {
      ...inner,
      read: async (path, r) => (r.start === 0 ? inner.read(path, r) : gate.then(() => inner.read(path, r))),
    };
    const response = await createHandler({ fs })(request("/data.bin", { range }));
    const reader = response.body?.getReader();
    let seen = "";
    while (!seen.includes("1000-3499")) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) break;
      seen += latin1(chunk.value);
    }
    await reader?.cancel();
    open();
    await settle();
    expect(handed.map(outcome)).toEqual(["streamed", "cancelled"]);
  });

  it("cancels the stream of the part being sent and reads no further part", async () => {
    const { fs, handed } = deferredFileSystem(plain);
    await cancelAfterFirstChunk(fs);
    expect(handed.map(({ range }) => range.start)).toEqual([0]);
    expect(handed.map(outcome)).toEqual(["streamed"]);
  });
});

const respond = createResponder({ fs: plain });
const ETAG = (await respond(request("/hello.txt"))).headers.get("etag") ?? "";

describe("createResponder", () => {
  const handler = createHandler({ fs: plain });

  it.each([
    ["a file (200)", "/hello.txt", {}, "GET"],
    ["a missing file (404)", "/missing", {}, "GET"],
    ["§13.1.2 a matching If-None-Match (304)", "/hello.txt", { "if-none-match": ETAG }, "GET"],
    ["§15.4.2 a directory without its slash (301)", "/docs", {}, "GET"],
    ["§15.5.6 a POST (405)", "/hello.txt", {}, "POST"],
    ["§9.3.7 an OPTIONS (204)", "/hello.txt", {}, "OPTIONS"],
    ["a listing (200)", "/docs/", {}, "GET"],
  ] as const)("answers %s with createHandler's status and headers", async (_, path, headers, method) => {
    const [replied, response] = [
      await respond(request(path, headers, method)),
      await handler(request(path, headers, method)),
    ];
    expect(replied.status).toBe(response.status);
    expect(pairs(replied.headers)).toEqual(pairs(response.headers));
    expect(replied.encoded).toBe(false);
  });

  it("§9.3.2 replies to HEAD with a null body, for a file, a range, a listing and an error", async () => {
    for (const [path, headers] of [
      ["/hello.txt", {}],
      ["/data.bin", { range: "bytes=0-9,20-29" }],
      ["/docs/", {}],
      ["/missing", {}],
    ] as const) {
      expect((await respond(request(path, headers, "HEAD"))).body, path).toBeNull();
    }
  });

  it("§15.4.5 replies to a 304 with a null body", async () => {
    const replied = await respond(request("/hello.txt", { "if-none-match": ETAG }));
    expect(replied.status).toBe(304);
    expect(replied.body).toBeNull();
  });

  it("replies with an error page as the bytes createHandler sends", async () => {
    for (const [path, method] of [
      ["/missing", "GET"],
      ["/hello.txt", "POST"],
    ] as const) {
      const [replied, response] = [await respond(request(path, {}, method)), await handler(request(path, {}, method))];
      expect(replied.body).toBeInstanceOf(Uint8Array);
      expect(replied.body).toEqual(await bytes(response));
    }
  });
});

describe("toResponse", () => {
  it("§8.4 keeps Content-Encoding and sends a precompressed reply's bytes untouched", async () => {
    const replied = await createResponder({ fs: plain, precompressed: ["gzip"] })(
      request("/app.js", { "accept-encoding": "gzip" }),
    );
    expect(replied.encoded).toBe(true);
    const response = toResponse(replied);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    // Not even valid gzip, so decoding or encoding it again would change or reject it.
    expect(await bytes(response)).toEqual(new Uint8Array([31, 139, 1, 2, 3]));
  });

  it("§8.4 sends an encoded reply's gzip bytes exactly, not encoded again", async () => {
    const gzipped = new Uint8Array(gzipSync(text));
    const response = toResponse({
      status: 200,
      headers: new Headers({ "content-encoding": "gzip" }),
      body: gzipped,
      encoded: true,
    });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    const sent = await bytes(response);
    expect(sent).toEqual(gzipped);
    expect(new TextDecoder().decode(gunzipSync(sent))).toBe(text);
  });

  it("sends a deferred body's stream as the Response body", async () => {
    const [body, record] = deferredBody(data, { start: 0, end: SIZE - 1 });
    const response = toResponse({ status: 200, headers: new Headers(), body, encoded: false });
    expect(await bytes(response)).toEqual(data);
    expect(outcome(record)).toBe("streamed");
  });
});
