/**
 * @simplehttp/s3: simplehttp over any S3-compatible bucket (AWS S3, R2, MinIO, B2, Tigris, …),
 * on `fetch` with SigV4 signing, so the same code runs on Node, Bun, Deno and edge workers.
 *
 * @module
 */
export { s3FileSystem } from "./filesystem.js";
export { checkBucket } from "./check.js";
export { s3OptionsFromEnv, type Environment } from "./env.js";
export { S3Error } from "./errors.js";
export type { Fetch, S3Credentials, S3Options } from "./options.js";
