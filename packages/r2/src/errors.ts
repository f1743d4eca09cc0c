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
import type { R2BucketLike } from "./binding.js";

/** An error the core answers 502 with, naming the call and keeping R2's error as its cause. */
export function storeFailure(call: string, thrown: unknown): Error & { code: "EUPSTREAM" } {
  const said = thrown instanceof Error ? thrown.message : String(thrown);
  return Object.assign(new Error(`r2: ${call}: ${said}`, { cause: thrown }), { code: "EUPSTREAM" as const });
}

/**
 * `bucket` with every call's failure as a {@link storeFailure}, so a 502 is answered whichever call
 * failed.
 */
export function guarded(bucket: R2BucketLike): R2BucketLike {
  const fail =
    (call: string) =>
    (thrown: unknown): never => {
      throw storeFailure(call, thrown);
    };
  return {
    head: (key) => bucket.head(key).catch(fail(`head ${key}`)),
    get: (key, options) =>
      (options === undefined ? bucket.get(key) : bucket.get(key, options)).catch(fail(`get ${key}`)),
    list: (options) => bucket.list(options).catch(fail(`list ${options?.prefix ?? ""}`)),
  };
}
