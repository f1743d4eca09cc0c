/**
 * How s3FileSystem meets a store that fails: which failures are tried again and how often, and
 * what the client is told. The store is a fetch that answers from a script.
 */
import { createHandler } from "@simplehttp/core";
import { describe, expect, it } from "vitest";
import { type Fetch, s3FileSystem } from "../src/index.js";
import { networkCode } from "../src/network.js";

const XML = { "content-type": "application/xml" };
const s3Error = (code: string, message = "") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** A fetch answering each request with the next of `answers` (the last one repeats); counts calls. */
function scripted(...answers: (() => Response | Promise<Response>)[]) {
  const methods: string[] = [];
  const fetch: Fetch = async (_input, init) => {
    methods.push(init.method ?? "GET");
    const answer = answers[Math.min(methods.length - 1, answers.length - 1)];
    if (answer === undefined) throw new Error("no answer scripted");
    return answer();
  };
  return { fetch, methods };
}

function store(fetch: Fetch, retries?: number, timeoutMs?: number) {
  const fs = s3FileSystem({
    bucket: "b",
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "k", secretAccessKey: "s" },
    fetch,
    ...(retries !== undefined && { retries }),
    ...(timeoutMs !== undefined && { timeoutMs }),
  });
  const errors: unknown[] = [];
  // The store's failures on the file's own calls, not on the site's rules (checked first otherwise).
  const handler = createHandler({ fs, siteRules: false, onError: (error) => errors.push(error) });
  return {
    fs,
    errors,
    get: (path: string, method = "GET") => handler(new Request(`http://localhost${path}`, { method })),
  };
}

describe("retries", () => {
  it("tries a 5xx twice more, then answers 502 Bad Gateway and tells onError the store's status", async () => {
    const { fetch, methods } = scripted(() => new Response(s3Error("InternalError"), { status: 500, headers: XML }));
    const { get, errors } = store(fetch);
    expect((await get("/a.txt")).status).toBe(502);
    expect(methods).toEqual(["GET", "GET", "GET"]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("s3: GET a.txt answered 500 InternalError");
    expect(errors[0]).toMatchObject({ status: 500, s3Code: "InternalError", code: "EUPSTREAM" });
  });

  it("answers 502 for any other error answer, and for a 200 that is not S3's", async () => {
    const refused = scripted(() => new Response(s3Error("InvalidArgument"), { status: 400, headers: XML }));
    expect((await store(refused.fetch).get("/a.txt")).status).toBe(502);
    const html = scripted(
      () => new Response("<html>a web server</html>", { headers: { "content-type": "text/html" } }),
    );
    expect((await store(html.fetch).get("/docs/")).status).toBe(502);
  });

  it("answers 503 with Retry-After when the store still says SlowDown (or 429) after the retries", async () => {
    for (const status of [503, 429]) {
      const { fetch, methods } = scripted(
        () => new Response(s3Error("SlowDown", "Please reduce your request rate."), { status, headers: XML }),
      );
      const response = await store(fetch).get("/a.txt");
      expect(response.status, String(status)).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(methods).toHaveLength(3);
    }
  });

  it("gets the file when a retry succeeds", async () => {
    const { fetch, methods } = scripted(
      () => new Response(s3Error("SlowDown"), { status: 503, headers: XML }),
      () => Promise.reject(new TypeError("fetch failed")),
      () => new Response("hello", { headers: { "content-length": "5", etag: '"abc"' } }),
    );
    const response = await store(fetch).get("/a.txt");
    expect(await response.text()).toBe("hello");
    expect(response.headers.get("etag")).toBe('"abc"');
    expect(methods).toHaveLength(3);
  });

  it("tries a network failure again, then answers 502 with the failure's code", async () => {
    const { fetch, methods } = scripted(() =>
      Promise.reject(
        new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
        }),
      ),
    );
    const { get, errors } = store(fetch);
    expect((await get("/a.txt")).status).toBe(502);
    expect(methods).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("s3: GET a.txt: cannot reach http://127.0.0.1:9 (ECONNREFUSED)");
  });

  it("does not retry a 4xx, and retries as often as `retries` says", async () => {
    const refused = scripted(
      () => new Response(s3Error("AccessDenied", "Access Denied"), { status: 403, headers: XML }),
    );
    expect((await store(refused.fetch).get("/a.txt")).status).toBe(403);
    expect(refused.methods).toHaveLength(1);
    const broken = scripted(() => new Response("", { status: 502 }));
    await store(broken.fetch, 0).get("/a.txt");
    expect(broken.methods).toHaveLength(1);
    expect(() => store(broken.fetch, -1)).toThrow(/retries/);
  });

  it("sends only GET and HEAD, which are safe to retry", async () => {
    const { fetch, methods } = scripted(() => new Response("", { status: 404 }));
    const { get } = store(fetch);
    await get("/a.txt");
    await get("/a.txt", "HEAD");
    await get("/docs/");
    expect(new Set(methods)).toEqual(new Set(["GET", "HEAD"]));
  });
});

/** A fetch that answers nothing until its signal aborts it, as a store stopped with SIGSTOP. */
const hanging: Fetch = (_input, init) =>
  new Promise((_resolve, reject) =>
    init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
  );

describe("a store that does not answer in time", () => {
  it("answers 504 Gateway Timeout once timeoutMs has passed, and says so to onError", async () => {
    const { get, errors } = store(hanging, 2, 200);
    const started = performance.now();
    expect((await get("/a.txt")).status).toBe(504);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(600);
    expect((errors[0] as Error).message).toBe("s3: GET a.txt: http://127.0.0.1:9 did not answer within 0.2 s");
    expect(errors[0]).toMatchObject({ code: "ETIMEDOUT" });
  });

  it("bounds the whole call, retries and pauses included, not each attempt", async () => {
    // Each attempt fails after 250 ms: three of them, bounded one by one, would take over 750 ms.
    const slowReset: Fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        const timer = setTimeout(() => reject(Object.assign(new TypeError("reset"), { code: "ECONNRESET" })), 250);
        init.signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    const { get } = store(slowReset, 2, 400);
    const started = performance.now();
    expect((await get("/a.txt")).status).toBe(504);
    expect(performance.now() - started).toBeLessThan(600);
  });

  it("does not start a retry the time left cannot wait for: the store's last answer stands", async () => {
    const { fetch, methods } = scripted(
      () =>
        new Promise((resolve) =>
          setTimeout(() => resolve(new Response(s3Error("InternalError"), { status: 500, headers: XML })), 200),
        ),
    );
    // 50 ms left after the first answer: no pause before a retry is shorter (50 to 100 ms).
    expect((await store(fetch, 2, 250).get("/a.txt")).status).toBe(502);
    expect(methods).toHaveLength(1);
  });

  it("refuses a timeout that is not a positive number of milliseconds a timer can wait", () => {
    for (const timeoutMs of [0, -1, Number.NaN, 2 ** 31])
      expect(() => store(hanging, 2, timeoutMs)).toThrow(/timeoutMs/);
  });
});

describe("network failures, as each runtime's fetch throws them", () => {
  // Recorded from each runtime's fetch to a closed port, an unknown host, a server that closes
  // the connection, and one that answers garbage (Node 20.20, Bun 1.4.5, Deno 2.9.6).
  const fetchFailed = (cause: object) => new TypeError("fetch failed", { cause });
  const bun = (code: string, message: string) => Object.assign(new TypeError(message), { code });
  const deno = (what: string) =>
    fetchFailed(new Error(`error sending request for url (http://h/): client error ${what}`));
  const shapes: Record<string, [string, unknown]> = {
    "Node, refused": ["ECONNREFUSED", fetchFailed({ code: "ECONNREFUSED", message: "connect ECONNREFUSED h:1" })],
    "Node, no such host": ["ENOTFOUND", fetchFailed({ code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND h" })],
    "Node, closed": ["ECONNRESET", fetchFailed({ code: "UND_ERR_SOCKET", message: "other side closed" })],
    "Node, garbage": ["EUPSTREAM", fetchFailed({ code: "HPE_INVALID_CONSTANT", message: "Expected HTTP/" })],
    "Bun, refused": ["ECONNREFUSED", bun("ECONNREFUSED", "ECONNREFUSED: Unable to connect.")],
    "Bun, no such host": ["ENOTFOUND", bun("ENOTFOUND", "getaddrinfo ENOTFOUND h")],
    "Deno, refused": ["ECONNREFUSED", deno("(Connect): tcp connect error: Connection refused (os error 111)")],
    "Deno, no such host": ["ENOTFOUND", deno("(Connect): dns error: failed to lookup address information")],
    "Deno, closed": ["ECONNRESET", deno("(SendRequest): connection closed before message completed")],
    "Deno, garbage": ["EUPSTREAM", deno("(SendRequest): invalid HTTP version parsed")],
    "anything else": ["EUPSTREAM", new Error("something new")],
  };
  it.each(Object.entries(shapes).map(([runtime, [code, thrown]]) => [runtime, code, thrown] as const))(
    "%s is %s, a 502 with one and the same line on every runtime",
    async (_runtime, code, thrown) => {
      expect(networkCode(thrown)).toBe(code);
      const { get, errors } = store(() => Promise.reject(thrown), 0);
      expect((await get("/a.txt")).status).toBe(502);
      expect(errors[0]).toMatchObject({ code, status: 0 });
      if (code !== "EUPSTREAM")
        expect((errors[0] as Error).message).toBe(`s3: GET a.txt: cannot reach http://127.0.0.1:9 (${code})`);
    },
  );
});

describe("listings as S3 writes them", () => {
  const page = (body: string) => () =>
    new Response(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</ListBucketResult>`,
      { headers: XML },
    );

  it("reads AWS's url encoding (a space as +, a + as %2B), keeps 0010 a name, skips the folder's marker", async () => {
    const { fetch } = scripted(
      page(
        "<Name>b</Name><Prefix>d%2F</Prefix><KeyCount>4</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter>" +
          "<IsTruncated>false</IsTruncated><EncodingType>url</EncodingType>" +
          "<Contents><Key>d/</Key><Size>0</Size></Contents>" +
          "<Contents><Key>d/a+b%2Bc.txt</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified>" +
          "<ETag>&quot;0123&quot;</ETag><Size>0010</Size></Contents>" +
          "<Contents><Key>d/0010</Key><Size>1</Size></Contents>" +
          "<CommonPrefixes><Prefix>d/sub+dir/</Prefix></CommonPrefixes>",
      ),
    );
    const entries = await store(fetch).fs.readDir("d");
    expect(entries).toEqual([
      { name: "a b+c.txt", stat: { kind: "file", size: 10, mtimeMs: Date.UTC(2026, 0, 2, 3, 4, 5), etag: '"0123"' } },
      { name: "0010", stat: { kind: "file", size: 1 } },
      { name: "sub dir", stat: { kind: "directory", size: 0 } },
    ]);
  });

  it("refuses a truncated page without a continuation token rather than ask for it forever", async () => {
    const { fetch } = scripted(
      page("<IsTruncated>true</IsTruncated><Contents><Key>d/a</Key><Size>1</Size></Contents>"),
    );
    await expect(store(fetch).fs.readDir("d")).rejects.toThrow(/NextContinuationToken/);
  });
});

describe("a store that fails a write", () => {
  /**
   * A writable bucket whose store answers reads as an empty bucket would (no key, no prefix) and
   * each write with `write(method, query)`; records the writes sent.
   */
  function writableStore(
    write: (method: string, query: string, init: RequestInit) => Response | Promise<Response>,
    timeoutMs?: number,
  ) {
    const writes: string[] = [];
    const fetch: Fetch = async (input, init) => {
      const { pathname, search } = new URL(input);
      const method = init.method ?? "GET";
      if (method === "HEAD") return new Response(null, { status: 404 });
      if (method === "GET" && pathname === "/b/")
        return new Response("<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>", { headers: XML });
      writes.push(`${method} ${pathname}${search}`);
      return write(method, search, init);
    };
    const fs = s3FileSystem({
      bucket: "b",
      endpoint: "http://127.0.0.1:9",
      credentials: { accessKeyId: "k", secretAccessKey: "s" },
      fetch,
      writable: true,
      ...(timeoutMs !== undefined && { timeoutMs }),
    });
    const errors: unknown[] = [];
    // The write's own calls: the site's rules would add their two GETs (core's site-rules test).
    const handler = createHandler({
      fs,
      siteRules: false,
      write: { delete: true },
      onError: (error) => errors.push(error),
    });
    const put = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
      handler(new Request(`http://localhost${path}`, { method: "PUT", body, headers }));
    return { put, writes, errors };
  }
  const failing = () => new Response(s3Error("InternalError"), { status: 500, headers: XML });

  it("answers 502 when the store fails a create, and never sends a conditional put twice", async () => {
    const { put, writes, errors } = writableStore(failing);
    expect((await put("/a.txt", "a")).status).toBe(502);
    expect(writes).toEqual(["PUT /b/a.txt"]);
    expect(String(errors[0])).toContain("s3: PUT a.txt answered 500 InternalError");
  });

  it("retries a part of an upload, which sends the same bytes again, and aborts the upload in the end", async () => {
    const { put, writes } = writableStore((method, query) => {
      if (method === "POST" && query === "?uploads=")
        return new Response("<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>");
      return method === "DELETE" ? new Response(null, { status: 204 }) : failing();
    });
    expect((await put("/big.bin", new Uint8Array(9 * 2 ** 20))).status).toBe(502);
    expect(writes).toEqual([
      "POST /b/big.bin?uploads=",
      ...Array(3).fill("PUT /b/big.bin?partNumber=1&uploadId=u1"),
      "DELETE /b/big.bin?uploadId=u1",
    ]);
  });

  it("answers 504 when the store does not answer a write in time", async () => {
    const { put, errors } = writableStore((_method, _query, init) => hanging("", init), 200);
    expect((await put("/a.txt", "a")).status).toBe(504);
    expect(errors[0]).toMatchObject({ code: "ETIMEDOUT" });
  });

  it("answers 412 when the store refuses a create's condition, as another write got there first", async () => {
    const { put } = writableStore(() => new Response(s3Error("PreconditionFailed"), { status: 412, headers: XML }));
    expect((await put("/a.txt", "a", { "if-none-match": "*" })).status).toBe(412);
    expect((await put("/a.txt", "a")).status).toBe(409);
  });
});
