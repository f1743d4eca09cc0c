/**
 * The real binding's type is assignable to R2BucketLike, checked by the compiler (tsc -p
 * tsconfig.test.json) against the declarations of @cloudflare/workers-types, copied here because
 * the package is not installed: R2Bucket, R2Object, R2ObjectBody and what they use, as published
 * (overloads included). In workerd the real binding is used by every other test of this package.
 */
import { describe, expect, it } from "vitest";
import { type R2BucketLike, type R2WritableBucketLike, r2FileSystem } from "../src/index.ts";

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
    options?: WorkersR2PutOptions & { onlyIf: WorkersR2Conditional | Headers },
  ): Promise<WorkersR2Object | null>;
  put(
    key: string,
    value: ReadableStream | ArrayBuffer | ArrayBufferView | string | null | Blob,
    options?: WorkersR2PutOptions,
  ): Promise<WorkersR2Object>;
  createMultipartUpload(key: string, options?: WorkersR2MultipartOptions): Promise<WorkersR2MultipartUpload>;
  resumeMultipartUpload(key: string, uploadId: string): WorkersR2MultipartUpload;
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
declare abstract class WorkersR2MultipartUpload {
  readonly key: string;
  readonly uploadId: string;
  uploadPart(
    partNumber: number,
    value: ReadableStream | (ArrayBuffer | ArrayBufferView) | string | Blob,
    options?: { ssecKey?: ArrayBuffer | string },
  ): Promise<WorkersR2UploadedPart>;
  abort(): Promise<void>;
  complete(uploadedParts: WorkersR2UploadedPart[]): Promise<WorkersR2Object>;
}
interface WorkersR2UploadedPart {
  partNumber: number;
  etag: string;
}
interface WorkersR2MultipartOptions {
  httpMetadata?: WorkersR2HTTPMetadata | Headers;
  customMetadata?: Record<string, string>;
  storageClass?: string;
  ssecKey?: ArrayBuffer | string;
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
  onlyIf?: WorkersR2Conditional | Headers;
  httpMetadata?: WorkersR2HTTPMetadata | Headers;
  customMetadata?: Record<string, string>;
  md5?: ArrayBuffer | string;
  sha256?: ArrayBuffer | string;
  storageClass?: string;
  ssecKey?: ArrayBuffer | string;
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
function typeCheck(env: { BUCKET: WorkersR2Bucket }): [R2BucketLike, R2WritableBucketLike] {
  r2FileSystem(env.BUCKET, { prefix: "public" });
  r2FileSystem(env.BUCKET, { writable: true });
  return [env.BUCKET, env.BUCKET];
}

// A read-only binding cannot be opened writable, by either overload of r2FileSystem: it is no
// R2WritableBucketLike (the first's binding), and `writable: true` is not the second's
// `writable?: false`. Each line compiles only while that holds.
type Refused<Given, Wanted> = [Given] extends [Wanted] ? false : true;
const readOnlyIsNotWritable: Refused<R2BucketLike, R2WritableBucketLike> = true;
const writableIsNotReadOnly: Refused<{ writable: true }, { writable?: false }> = true;

describe("R2BucketLike", () => {
  it("accepts the Workers R2Bucket type as published in @cloudflare/workers-types, for reading and writing", () => {
    expect(typeof typeCheck).toBe("function");
    expect([readOnlyIsNotWritable, writableIsNotReadOnly]).toEqual([true, true]);
  });

  it("refuses, when run, to open a binding writable that cannot write, naming what it lacks", () => {
    const readOnly = { head: async () => null, get: async () => null, list: async () => ({}) };
    expect(() => r2FileSystem(readOnly as unknown as R2WritableBucketLike, { writable: true })).toThrow(
      "r2FileSystem: writable needs a binding that can write (it has no put, delete, createMultipartUpload)",
    );
  });
});
