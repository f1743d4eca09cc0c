/**
 * The small pieces: key encoding, metadata parsing, where requests go, options from the
 * environment.
 */
import { rcloneMtime } from "@simplehttp/core";
import { describe, expect, it } from "vitest";
import { s3OptionsFromEnv } from "../src/index.js";
import { decodeListedKey, encodeKey } from "../src/keys.js";
import { statFromHeaders, strongETag } from "../src/metadata.js";
import { resolveOptions } from "../src/options.js";

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
