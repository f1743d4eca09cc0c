/**
 * @simplehttp/r2: the simplehttp handler over a Cloudflare R2 bucket, from a Worker. Listings,
 * index pages, ranges and validators, one R2 call for most requests; writes when opened writable.
 *
 * @module
 */

// Public here since R2 users met it here first; the parser is the core's, shared with S3.
export { rcloneMtime } from "@simplehttp/core";
export type {
  R2BucketLike,
  R2ConditionalLike,
  R2HttpMetadataLike,
  R2ListOptionsLike,
  R2MultipartUploadLike,
  R2ObjectBodyLike,
  R2ObjectLike,
  R2ObjectsLike,
  R2PutOptionsLike,
  R2RangeLike,
  R2UploadedPartLike,
  R2WritableBucketLike,
} from "./binding.js";
export { type R2FileSystemOptions, r2FileSystem } from "./fs.js";
