/**
 * @simplehttp/r2: the simplehttp handler over a Cloudflare R2 bucket, from a Worker. Listings,
 * index pages, ranges and validators, one R2 call for most requests.
 *
 * @module
 */

// Public here since R2 users met it here first; the parser is the core's, shared with S3.
export { rcloneMtime } from "@simplehttp/core";
export type {
  R2BucketLike,
  R2HttpMetadataLike,
  R2ListOptionsLike,
  R2ObjectBodyLike,
  R2ObjectLike,
  R2ObjectsLike,
  R2RangeLike,
} from "./binding.js";
export { type R2FileSystemOptions, r2FileSystem } from "./fs.js";
