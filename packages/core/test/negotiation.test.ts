import { describe, expect, it } from "vitest";
import { chooseEncoding, parseWeights } from "../src/http/negotiate.js";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.js";

const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
const JS_TYPE = "text/javascript; charset=utf-8";
const text = "console.log('hello, world');\n".repeat(100);
// The siblings need not be valid compressed data: the handler sends their bytes untouched.
const variant = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * seed) % 256);
const br = variant(37, 7);
const zst = variant(41, 11);
const gz = variant(53, 13);

const fs = memoryFileSystem(
  {
    "app.js": text,
    "app.js.br": br,
    "app.js.zst": zst,
    "app.js.gz": gz,
    "style.css": "body{}".repeat(300),
    "style.css.gz": gz,
    "plain.txt": text,
    "small.txt": "tiny text",
    "image.png": variant(4000, 3),
  },
  { mtime: MTIME },
);
const encoder = new TextEncoder();
const make = (options: Omit<HandlerOptions, "fs">) => {
  const handler = createHandler({ fs, ...options });
  return (path: string, headers: Record<string, string> = {}, method = "GET") =>
    handler(new Request(`http://localhost${path}`, { method, headers }));
};
const precompressed = make({ precompressed: true });
const compressing = make({ compress: true });
const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const varyList = (response: Response) =>
  (response.headers.get("vary") ?? "").split(",").map((s) => s.trim().toLowerCase());

async function gunzip(response: Response): Promise<string> {
  const body: ReadableStream<BufferSource> | null = response.body;
  if (!body) throw new Error("no body");
  return new Response(body.pipeThrough(new DecompressionStream("gzip"))).text();
}

describe("precompressed siblings (§8.4, §12.5.3)", () => {
  it.each([
    ["br", "br", br],
    ["zstd", "zstd", zst],
    ["gzip", "gzip", gz],
  ] as const)(
    "§8.4 serves the sibling for Accept-Encoding: %s with Content-Encoding and the original Content-Type",
    async (accept, coding, sibling) => {
      const response = await precompressed("/app.js", { "accept-encoding": accept });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-encoding")).toBe(coding);
      expect(response.headers.get("content-type")).toBe(JS_TYPE);
      expect(response.headers.get("content-length")).toBe(String(sibling.byteLength));
      expect(await bytes(response)).toEqual(sibling);
      expect(varyList(response)).toContain("accept-encoding");
    },
  );

  it("§8.8.3 gives each encoding its own strong ETag", async () => {
    const tags = await Promise.all(
      [undefined, "br", "zstd", "gzip"].map(async (accept) => {
        const response = await precompressed("/app.js", accept ? { "accept-encoding": accept } : {});
        return response.headers.get("etag") ?? "";
      }),
    );
    for (const tag of tags) expect(tag).toMatch(/^"[^"]+"$/);
    expect(new Set(tags).size).toBe(4);
  });

  it("§12.5.5 sends Vary: Accept-Encoding on the identity variant too; identity without Accept-Encoding", async () => {
    const response = await precompressed("/app.js");
    expect(response.headers.has("content-encoding")).toBe(false);
    expect(varyList(response)).toContain("accept-encoding");
    expect(new TextDecoder().decode(await bytes(response))).toBe(text);
  });

  it("§12.5.3 respects q-values: gzip;q=1, br;q=0.5 chooses gzip", async () => {
    expect(
      (await precompressed("/app.js", { "accept-encoding": "gzip;q=1, br;q=0.5" })).headers.get("content-encoding"),
    ).toBe("gzip");
  });

  it("§12.5.3 q=0 refuses a coding: br;q=0 never gets br", async () => {
    for (const accept of ["br;q=0", "br;q=0, gzip", "br;q=0, *"]) {
      const response = await precompressed("/app.js", { "accept-encoding": accept });
      expect(response.headers.get("content-encoding")).not.toBe("br");
    }
    expect(
      (await precompressed("/app.js", { "accept-encoding": "br;q=0, gzip" })).headers.get("content-encoding"),
    ).toBe("gzip");
    expect(
      (await precompressed("/app.js", { "accept-encoding": "br;q=0, zstd;q=0, gzip;q=0" })).headers.has(
        "content-encoding",
      ),
    ).toBe(false);
  });

  it("§12.5.3 * accepts any coding (the server's preference, br, wins a tie)", async () => {
    expect((await precompressed("/app.js", { "accept-encoding": "*" })).headers.get("content-encoding")).toBe("br");
    expect((await precompressed("/app.js", { "accept-encoding": "gzip, br" })).headers.get("content-encoding")).toBe(
      "br",
    );
    expect((await precompressed("/app.js", { "accept-encoding": "*;q=0" })).headers.has("content-encoding")).toBe(
      false,
    );
  });

  it("§12.5.3 sends identity for Accept-Encoding: identity", async () => {
    const response = await precompressed("/app.js", { "accept-encoding": "identity" });
    expect(response.headers.has("content-encoding")).toBe(false);
    expect(varyList(response)).toContain("accept-encoding");
  });

  it("§14.1.2 applies Range to the chosen representation (Content-Range total is the .br size)", async () => {
    const response = await precompressed("/app.js", { "accept-encoding": "br", range: "bytes=0-9" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-encoding")).toBe("br");
    expect(response.headers.get("content-range")).toBe(`bytes 0-9/${br.byteLength}`);
    expect(await bytes(response)).toEqual(br.slice(0, 10));
    const suffix = await precompressed("/app.js", { "accept-encoding": "br", range: "bytes=-5" });
    expect(suffix.headers.get("content-range")).toBe(
      `bytes ${br.byteLength - 5}-${br.byteLength - 1}/${br.byteLength}`,
    );
  });

  it("§13.1.5 checks If-Range against the chosen representation's ETag", async () => {
    const identityTag = (await precompressed("/app.js")).headers.get("etag") ?? "";
    const brTag = (await precompressed("/app.js", { "accept-encoding": "br" })).headers.get("etag") ?? "";
    const partial = await precompressed("/app.js", { "accept-encoding": "br", range: "bytes=0-3", "if-range": brTag });
    expect(partial.status).toBe(206);
    expect(await bytes(partial)).toEqual(br.slice(0, 4));
    const whole = await precompressed("/app.js", {
      "accept-encoding": "br",
      range: "bytes=0-3",
      "if-range": identityTag,
    });
    expect(whole.status).toBe(200);
    expect(await bytes(whole)).toEqual(br);
  });

  it("§13.1.2 validates each representation by its own ETag", async () => {
    const identityTag = (await precompressed("/app.js")).headers.get("etag") ?? "";
    const brTag = (await precompressed("/app.js", { "accept-encoding": "br" })).headers.get("etag") ?? "";
    expect((await precompressed("/app.js", { "accept-encoding": "br", "if-none-match": identityTag })).status).toBe(
      200,
    );
    const notModified = await precompressed("/app.js", { "accept-encoding": "br", "if-none-match": brTag });
    expect(notModified.status).toBe(304);
    expect(varyList(notModified)).toContain("accept-encoding");
  });

  it("serves only the encodings listed in the option", async () => {
    const gzipOnly = make({ precompressed: ["gzip"] });
    expect((await gzipOnly("/app.js", { "accept-encoding": "br, zstd, gzip" })).headers.get("content-encoding")).toBe(
      "gzip",
    );
    expect((await gzipOnly("/app.js", { "accept-encoding": "br" })).headers.has("content-encoding")).toBe(false);
  });

  it("§12.5.5 still varies on Accept-Encoding when the only sibling is not acceptable", async () => {
    const response = await precompressed("/style.css", { "accept-encoding": "br" });
    expect(response.headers.has("content-encoding")).toBe(false);
    expect(varyList(response)).toContain("accept-encoding");
  });

  it("ignores the siblings when the option is off", async () => {
    const response = await make({})("/app.js", { "accept-encoding": "br, gzip, zstd" });
    expect(response.headers.has("content-encoding")).toBe(false);
    expect(response.headers.has("vary")).toBe(false);
    expect(new TextDecoder().decode(await bytes(response))).toBe(text);
  });
});

describe("on-the-fly compression (option compress)", () => {
  it("§8.4 gzips a compressible file of at least minSize for a client that accepts gzip", async () => {
    const response = await compressing("/plain.txt", { "accept-encoding": "gzip, deflate" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-length")).not.toBe(String(encoder.encode(text).byteLength));
    expect(varyList(response)).toContain("accept-encoding");
    expect(await gunzip(response)).toBe(text);
  });

  it("§8.8.1 gives the gzipped response a weak ETag, and the identity one a strong ETag", async () => {
    const gzipped = await compressing("/plain.txt", { "accept-encoding": "gzip" });
    const identity = await compressing("/plain.txt");
    expect(gzipped.headers.get("etag")).toMatch(/^W\/"[^"]+"$/);
    expect(identity.headers.get("etag")).toMatch(/^"[^"]+"$/);
    expect(gzipped.headers.get("etag")).not.toBe(`W/${identity.headers.get("etag") ?? ""}`);
  });

  it("§12.5.5 sends Vary: Accept-Encoding on both the gzipped and the identity response", async () => {
    const identity = await compressing("/plain.txt");
    expect(identity.headers.has("content-encoding")).toBe(false);
    expect(varyList(identity)).toContain("accept-encoding");
    expect(await identity.text()).toBe(text);
  });

  it("§13.1.2 answers 304 to the gzipped response's own weak ETag", async () => {
    const tag = (await compressing("/plain.txt", { "accept-encoding": "gzip" })).headers.get("etag") ?? "";
    const response = await compressing("/plain.txt", { "accept-encoding": "gzip", "if-none-match": tag });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(tag);
  });

  it("does not compress a file smaller than minSize, unless minSize allows it", async () => {
    expect((await compressing("/small.txt", { "accept-encoding": "gzip" })).headers.has("content-encoding")).toBe(
      false,
    );
    const eager = await make({ compress: { minSize: 4 } })("/small.txt", { "accept-encoding": "gzip" });
    expect(eager.headers.get("content-encoding")).toBe("gzip");
    expect(await gunzip(eager)).toBe("tiny text");
  });

  it("does not compress an already compressed type such as image/png", async () => {
    const response = await compressing("/image.png", { "accept-encoding": "gzip" });
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.has("content-encoding")).toBe(false);
    expect(response.headers.get("content-length")).toBe("4000");
  });

  it("§12.5.3 does not compress when gzip is refused (gzip;q=0) or not offered", async () => {
    for (const accept of ["gzip;q=0", "br", "identity"]) {
      expect((await compressing("/plain.txt", { "accept-encoding": accept })).headers.has("content-encoding")).toBe(
        false,
      );
    }
  });

  it("§14.2 never compresses a range request: the Range is served from identity (206)", async () => {
    const response = await compressing("/plain.txt", { "accept-encoding": "gzip", range: "bytes=0-6" });
    expect(response.status).toBe(206);
    expect(response.headers.has("content-encoding")).toBe(false);
    expect(response.headers.get("content-range")).toBe(`bytes 0-6/${encoder.encode(text).byteLength}`);
    expect(await response.text()).toBe("console");
  });

  it("never compresses on top of a precompressed variant", async () => {
    const both = make({ compress: true, precompressed: true });
    const response = await both("/style.css", { "accept-encoding": "gzip" });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("etag")).toMatch(/^"[^"]+"$/);
    expect(await bytes(response)).toEqual(gz);
  });

  it("§9.3.2 answers HEAD like GET for a gzipped response, without a body", async () => {
    const response = await compressing("/plain.txt", { "accept-encoding": "gzip" }, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.body).toBeNull();
  });
});

describe("parseWeights() and chooseEncoding() (§12.5.3)", () => {
  it("§12.4.2 reads codings and their q-values, lower-cased, defaulting to 1", () => {
    expect(parseWeights("gzip;q=0.5, BR, *;q=0, zstd ; q=0.125")).toEqual(
      new Map([
        ["gzip", 0.5],
        ["br", 1],
        ["*", 0],
        ["zstd", 0.125],
      ]),
    );
    expect(parseWeights("")).toEqual(new Map());
  });

  it("§12.5.3 picks the highest q-value, ties in the server's order, and never a q=0 coding", () => {
    expect(chooseEncoding("gzip, br;q=0.9", ["br", "gzip"])).toBe("gzip");
    expect(chooseEncoding("gzip;q=1, br;q=0.5", ["br", "zstd", "gzip"])).toBe("gzip");
    expect(chooseEncoding("gzip, br", ["br", "gzip"])).toBe("br");
    expect(chooseEncoding("br;q=0", ["br"])).toBeNull();
    expect(chooseEncoding("br;q=0, *", ["br", "gzip"])).toBe("gzip");
    expect(chooseEncoding("*", ["zstd", "gzip"])).toBe("zstd");
    expect(chooseEncoding("*;q=0", ["br", "gzip"])).toBeNull();
    expect(chooseEncoding("GZIP", ["gzip"])).toBe("gzip");
    expect(chooseEncoding("x-gzip", ["gzip"])).toBe("gzip");
  });

  it("§12.5.3 sends identity without the header, when nothing is offered, or when identity is preferred", () => {
    expect(chooseEncoding(null, ["br", "gzip"])).toBeNull();
    expect(chooseEncoding("br, gzip", [])).toBeNull();
    expect(chooseEncoding("identity", ["br", "gzip"])).toBeNull();
    expect(chooseEncoding("identity, gzip;q=0.5", ["gzip"])).toBeNull();
    expect(chooseEncoding("deflate", ["br", "gzip"])).toBeNull();
  });
});
