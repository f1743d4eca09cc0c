/**
 * The small pieces: key encoding, metadata parsing, where requests go, options from the
 * environment, and a body cut into the parts of an upload.
 */
import { rcloneMtime } from "@simplehttp/core";
import { describe, expect, it } from "vitest";
import { s3OptionsFromEnv } from "../src/index.js";
import { decodeListedKey, encodeKey } from "../src/keys.js";
import { mtimeSeconds, statFromHeaders, strongETag } from "../src/metadata.js";
import { resolveOptions } from "../src/options.js";
import { PartReader, partSize } from "../src/parts.js";

const credentials = { accessKeyId: "k", secretAccessKey: "s" };

describe("keys", () => {
  it("encodes every segment as SigV4 signs it (RFC 3986 unreserved only), keeping the slashes", () => {
    expect(encodeKey("a b/x#y?z%+!'()*~.txt")).toBe("a%20b/x%23y%3Fz%25%2B%21%27%28%29%2A~.txt");
    expect(encodeKey("naïve/日本")).toBe("na%C3%AFve/%E6%97%A5%E6%9C%AC");
  });

  it("decodes listed keys written by AWS (+ for a space) and by others (%20)", () => {
    expect(decodeListedKey("a+b%2Bc")).toBe("a b+c");
    expect(decodeListedKey("a%20b")).toBe("a b");
    expect(decodeListedKey("bad%E9")).toBeUndefined();
  });
});

describe("metadata", () => {
  it("reads rclone's mtime, seconds as a decimal, down to the millisecond", () => {
    expect(rcloneMtime("1735787045")).toBe(1735787045000);
    expect(rcloneMtime("1735787045.123456789")).toBe(1735787045123);
    expect(rcloneMtime("2025-01-02")).toBeUndefined();
    expect(rcloneMtime(null)).toBeUndefined();
  });

  it("reads rclone's mtime as text, as R2 does: no float rounding; a negative one falls back to Last-Modified", () => {
    const lastModified = "Thu, 02 Jan 2025 03:04:05 GMT";
    const mtimeOf = (mtime: string) =>
      statFromHeaders(new Headers({ "x-amz-meta-mtime": mtime, "last-modified": lastModified }), 1).mtimeMs;
    // 1.005 * 1000 is 1004.999… as a double: a float parse would say 1004.
    expect(mtimeOf("1.005")).toBe(1005);
    expect(mtimeOf("-1")).toBe(Date.parse(lastModified));
  });

  it("keeps a strong ETag quoted, quotes a bare one, and drops a weak one", () => {
    expect(strongETag('"abc-2"')).toBe('"abc-2"');
    expect(strongETag("abc")).toBe('"abc"');
    expect(strongETag('W/"abc"')).toBeUndefined();
    expect(strongETag(null)).toBeUndefined();
  });
});

describe("where requests go", () => {
  it("addresses AWS virtual-hosted when the name is one DNS label, path-style otherwise and elsewhere", () => {
    expect(resolveOptions({ bucket: "site", region: "eu-west-3", credentials }).base).toBe(
      "https://site.s3.eu-west-3.amazonaws.com/",
    );
    expect(resolveOptions({ bucket: "my.site", credentials }).base).toBe("https://s3.us-east-1.amazonaws.com/my.site/");
    expect(resolveOptions({ bucket: "site", endpoint: "http://127.0.0.1:9000/", credentials }).base).toBe(
      "http://127.0.0.1:9000/site/",
    );
    expect(resolveOptions({ bucket: "site", addressing: "path", credentials }).base).toBe(
      "https://s3.us-east-1.amazonaws.com/site/",
    );
  });

  it("serves a folder of the bucket given as a prefix, with or without its slashes", () => {
    expect(resolveOptions({ bucket: "b", prefix: "/public/v2/", credentials }).prefix).toBe("public/v2/");
    expect(resolveOptions({ bucket: "b", credentials }).prefix).toBe("");
  });

  it("refuses options that cannot work, naming them", () => {
    expect(() => resolveOptions({ bucket: "", credentials })).toThrow(/bucket/);
    expect(() => resolveOptions({ bucket: "b", credentials: { accessKeyId: "", secretAccessKey: "s" } })).toThrow(
      /accessKeyId/,
    );
    expect(() => resolveOptions({ bucket: "b", endpoint: "ftp://x", credentials })).toThrow(/endpoint/);
  });
});

describe("s3OptionsFromEnv", () => {
  it("reads the variables AWS tools read, the service-specific endpoint first", () => {
    const env = {
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "token",
      AWS_DEFAULT_REGION: "eu-west-3",
      AWS_ENDPOINT_URL: "https://general.example",
      AWS_ENDPOINT_URL_S3: "https://s3.example",
    };
    expect(s3OptionsFromEnv(env, "site", "public")).toEqual({
      bucket: "site",
      prefix: "public",
      region: "eu-west-3",
      endpoint: "https://s3.example",
      credentials: { accessKeyId: "id", secretAccessKey: "secret", sessionToken: "token" },
    });
    expect(s3OptionsFromEnv({ ...env, AWS_REGION: "auto" }, "site").region).toBe("auto");
  });

  it("says which credential is missing", () => {
    expect(() => s3OptionsFromEnv({ AWS_ACCESS_KEY_ID: "id" }, "site")).toThrow(
      "Serving a bucket needs credentials: set AWS_SECRET_ACCESS_KEY.",
    );
  });
});

describe("a body in parts", () => {
  /** A body of `sizes.length` chunks, chunk `i` holding `sizes[i]` bytes of the value `i`. */
  function chunks(...sizes: number[]): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream({
      pull(controller) {
        const size = sizes[i];
        if (size === undefined) return controller.close();
        controller.enqueue(new Uint8Array(size).fill(i++));
      },
    });
  }

  async function all(reader: PartReader): Promise<{ sizes: number[]; lasts: boolean[]; bytes: number[] }> {
    const parts = [];
    for (let part = await reader.next(); ; part = await reader.next()) {
      parts.push(part);
      if (part.last) break;
    }
    return {
      sizes: parts.map((part) => part.bytes.byteLength),
      lasts: parts.map((part) => part.last),
      bytes: parts.flatMap((part) => [...part.bytes]),
    };
  }

  it("cuts parts of one size across chunks, the last shorter, and knows the last when it hands it out", async () => {
    const got = await all(new PartReader(chunks(3, 4, 2, 1), 4, { maxBytes: 100 }));
    expect(got.sizes).toEqual([4, 4, 2]);
    expect(got.lasts).toEqual([false, false, true]);
    expect(got.bytes).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 3]);
  });

  it("gives a body that fits in one part as one last part, an empty body as an empty one", async () => {
    expect((await all(new PartReader(chunks(2, 2), 4, { maxBytes: 100 }))).lasts).toEqual([true]);
    expect(await new PartReader(chunks(), 4, { maxBytes: 100 }).next()).toEqual({
      bytes: new Uint8Array(0),
      last: true,
    });
  });

  it("fails past the cap (EFBIG) and for a body longer or shorter than announced (EBADMSG)", async () => {
    await expect(all(new PartReader(chunks(4, 4, 4), 4, { maxBytes: 10 }))).rejects.toMatchObject({ code: "EFBIG" });
    await expect(all(new PartReader(chunks(4, 4), 4, { maxBytes: 100, length: 7 }))).rejects.toMatchObject({
      code: "EBADMSG",
    });
    await expect(all(new PartReader(chunks(4, 2), 4, { maxBytes: 100, length: 7 }))).rejects.toMatchObject({
      code: "EBADMSG",
    });
    expect((await all(new PartReader(chunks(4, 3), 4, { maxBytes: 7, length: 7 }))).sizes).toEqual([4, 3]);
  });

  it("cancels the body it stops reading", async () => {
    let cancelled: unknown;
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(8)),
      cancel: (reason) => {
        cancelled = reason;
      },
    });
    const reader = new PartReader(body, 4, { maxBytes: 100 });
    await reader.next();
    await reader.cancel("no more");
    expect(cancelled).toBe("no more");
  });

  it("grows the part size when 10,000 parts would not hold the cap, in whole MiB", () => {
    const mib = 2 ** 20;
    expect(partSize(10 * 1024 * mib, 8 * mib, 10_000)).toBe(8 * mib);
    expect(partSize(1024 * 1024 * mib, 8 * mib, 10_000)).toBe(105 * mib);
  });

  it("writes rclone's mtime as seconds with the milliseconds, and none before 1970", () => {
    expect(mtimeSeconds(1735787045123)).toBe("1735787045.123");
    expect(mtimeSeconds(1735787045000.7)).toBe("1735787045.000");
    expect(mtimeSeconds(-1)).toBeUndefined();
  });
});
