/**
 * @simplehttp/s3: simplehttp over any S3-compatible bucket (AWS S3, R2, MinIO, B2, Tigris, …),
 * on `fetch` with SigV4 signing, so the same code runs on Node, Bun, Deno and edge workers.
 *
 * @module
 */

export { checkBucket } from "./check.js";
export { type Environment, s3OptionsFromEnv } from "./env.js";
export { S3Error } from "./errors.js";
export { s3FileSystem } from "./filesystem.js";
export type { Fetch, S3Credentials, S3Options } from "./options.js";
