/**
 * The real binding's type is assignable to R2BucketLike, checked by the compiler (tsc -p
 * tsconfig.test.json) against the declarations of @cloudflare/workers-types, copied here because
 * the package is not installed: R2Bucket, R2Object, R2ObjectBody and what they use, as published
 * (overloads included). In workerd the real binding is used by every other test of this package.
 */
import { describe, expect, it } from "vitest";
import { type R2BucketLike, r2FileSystem } from "../src/index.ts";

declare abstract class WorkersR2Bucket {
  head(key: string): Promise<WorkersR2Object | null>;
  get(
    key: string,
    options: WorkersR2GetOptions & { onlyIf: WorkersR2Conditional | Headers },
  ): Promise<WorkersR2ObjectBody | WorkersR2Object | null>;
  get(key: string, options?: WorkersR2GetOptions): Promise<WorkersR2ObjectBody | null>;
  put(
    key: string,
    value: ReadableStream | ArrayBuffer | ArrayBufferView | string | null | Blob,
    options?: WorkersR2PutOptions,
  ): Promise<WorkersR2Object>;
  delete(keys: string | string[]): Promise<void>;
  list(options?: WorkersR2ListOptions): Promise<WorkersR2Objects>;
}
declare abstract class WorkersR2Object {
  readonly key: string;
  readonly version: string;
  readonly size: number;
  readonly etag: string;
  readonly httpEtag: string;
  readonly uploaded: Date;
  readonly httpMetadata?: WorkersR2HTTPMetadata;
  readonly customMetadata?: Record<string, string>;
  readonly range?: WorkersR2Range;
  readonly storageClass: string;
  writeHttpMetadata(headers: Headers): void;
}
interface WorkersR2ObjectBody extends WorkersR2Object {
  get body(): ReadableStream;
  get bodyUsed(): boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json<T>(): Promise<T>;
  blob(): Promise<Blob>;
}
type WorkersR2Range = { offset: number; length?: number } | { offset?: number; length: number } | { suffix: number };
interface WorkersR2Conditional {
  etagMatches?: string;
  etagDoesNotMatch?: string;
  uploadedBefore?: Date;
  uploadedAfter?: Date;
  secondsGranularity?: boolean;
}
interface WorkersR2GetOptions {
  onlyIf?: WorkersR2Conditional | Headers;
  range?: WorkersR2Range | Headers;
}
interface WorkersR2PutOptions {
  httpMetadata?: WorkersR2HTTPMetadata | Headers;
  customMetadata?: Record<string, string>;
}
interface WorkersR2HTTPMetadata {
  contentType?: string;
  contentLanguage?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  cacheControl?: string;
  cacheExpiry?: Date;
}
interface WorkersR2ListOptions {
  limit?: number;
  prefix?: string;
  cursor?: string;
  delimiter?: string;
  startAfter?: string;
  include?: ("httpMetadata" | "customMetadata")[];
}
type WorkersR2Objects = { objects: WorkersR2Object[]; delimitedPrefixes: string[] } & (
  | { truncated: true; cursor: string }
  | { truncated: false }
);

// Never called: the check is that these lines compile.
function typeCheck(env: { BUCKET: WorkersR2Bucket }): R2BucketLike {
  r2FileSystem(env.BUCKET, { prefix: "public" });
  return env.BUCKET;
}

describe("R2BucketLike", () => {
  it("accepts the Workers R2Bucket type as published in @cloudflare/workers-types", () => {
    expect(typeof typeCheck).toBe("function");
  });
});
