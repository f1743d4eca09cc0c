/**
 * How s3FileSystem meets a store that fails: which failures are tried again and how often, and
 * what the client is told. The store is a fetch that answers from a script.
 */
import { createHandler } from "@simplehttp/core";
import { describe, expect, it } from "vitest";
import { type Fetch, s3FileSystem } from "../src/index.js";

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

function store(fetch: Fetch, retries?: number) {
  const fs = s3FileSystem({
    bucket: "b",
    endpoint: "http://127.0.0.1:9",
    credentials: { accessKeyId: "k", secretAccessKey: "s" },
    fetch,
    ...(retries !== undefined && { retries }),
  });
  const errors: unknown[] = [];
  const handler = createHandler({ fs, onError: (error) => errors.push(error) });
  return {
    fs,
    errors,
    get: (path: string, method = "GET") => handler(new Request(`http://localhost${path}`, { method })),
  };
}

describe("retries", () => {
  it("tries a 5xx twice more, then answers 500 with no code (the store is broken)", async () => {
    const { fetch, methods } = scripted(() => new Response(s3Error("InternalError"), { status: 500, headers: XML }));
    const { get, errors } = store(fetch);
    expect((await get("/a.txt")).status).toBe(500);
    expect(methods).toEqual(["GET", "GET", "GET"]);
    expect(String(errors[0])).toContain("500 InternalError");
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

  it("tries a network failure again, then answers 500", async () => {
    const { fetch, methods } = scripted(() =>
      Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") })),
    );
    const { get, errors } = store(fetch);
    expect((await get("/a.txt")).status).toBe(500);
    expect(methods).toHaveLength(3);
    expect(String(errors[0])).toContain("cannot reach http://127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9)");
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
