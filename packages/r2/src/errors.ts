/**
 * R2's failures as the core's code for a store that failed: `EUPSTREAM`, a 502 Bad Gateway
 * (RFC 9110 §15.6.3; core's fs/errors.ts).
 *
 * A binding's call throws only when R2 could not do it (its "internal error" 10001, an object
 * being written too often, 10058, …): no answer says the request was wrong, so each is the store
 * failing. A binding has no connection of its own to time out, so no failure here is a 504: the
 * Workers runtime bounds the whole request instead.
 *
 * @module
 */
import type { R2BucketLike, R2MultipartUploadLike, R2WritableBucketLike } from "./binding.js";

/** An error the core answers 502 with, naming the call and keeping R2's error as its cause. */
export function storeFailure(call: string, thrown: unknown): Error & { code: "EUPSTREAM" } {
  const said = thrown instanceof Error ? thrown.message : String(thrown);
  return Object.assign(new Error(`r2: ${call}: ${said}`, { cause: thrown }), { code: "EUPSTREAM" as const });
}

/**
 * A write refused for what the bucket holds (`EEXIST`, `ESTALE`, `ENOENT`, …) or for its body
 * (`EFBIG`, `EBADMSG`): an error with the code the core maps to a status (core's fs/writes.ts),
 * not the store failing.
 */
export function writeError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(`r2: ${message}`), { code });
}

const fail =
  (call: string) =>
  (thrown: unknown): never => {
    throw storeFailure(call, thrown);
  };

/**
 * `bucket` with every call's failure as a {@link storeFailure}, so a 502 is answered whichever call
 * failed.
 */
export function guarded(bucket: R2BucketLike): R2BucketLike {
  return {
    head: (key) => bucket.head(key).catch(fail(`head ${key}`)),
    get: (key, options) =>
      (options === undefined ? bucket.get(key) : bucket.get(key, options)).catch(fail(`get ${key}`)),
    list: (options) => bucket.list(options).catch(fail(`list ${options?.prefix ?? ""}`)),
  };
}

/** {@link guarded}, for the writes too: an upload's calls as well as the bucket's. */
export function guardedWritable(bucket: R2WritableBucketLike): R2WritableBucketLike {
  return {
    ...guarded(bucket),
    put: (key, value, options) => bucket.put(key, value, options).catch(fail(`put ${key}`)),
    delete: (keys) => {
      const what = typeof keys === "string" ? keys : `${keys.length} keys from ${keys[0]}`;
      return bucket.delete(keys).catch(fail(`delete ${what}`));
    },
    createMultipartUpload: async (key, options) =>
      guardedUpload(await bucket.createMultipartUpload(key, options).catch(fail(`createMultipartUpload ${key}`))),
  };
}

function guardedUpload(upload: R2MultipartUploadLike): R2MultipartUploadLike {
  const { key, uploadId } = upload;
  return {
    key,
    uploadId,
    uploadPart: (number, value) => upload.uploadPart(number, value).catch(fail(`uploadPart ${key} #${number}`)),
    abort: () => upload.abort().catch(fail(`abort upload of ${key}`)),
    complete: (parts) => upload.complete(parts).catch(fail(`complete upload of ${key}`)),
  };
}
