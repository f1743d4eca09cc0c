/**
 * @simplehttp/core: a static file server as one WinterCG fetch handler, over an abstract filesystem.
 * Runtime-neutral: it uses only web APIs, so it bundles for Node, Bun, Deno and edge workers.
 *
 * @module
 */
export { createHandler, createResponder, type Handler, type Responder } from "./handler.js";
export { toResponse, type Reply } from "./reply.js";
export type { CacheControlOptions, CorsOptions, DotfilePolicy, HandlerOptions, PrecompressedEncoding } from "./options.js";
export type { AuthOptions, AuthUser } from "./auth.js";
export type { ByteRange, DeferredBody, DirEntry, FileBody, FileKind, FileStat, FileSystem, OpenedFile, RangeHint } from "./fs.js";
export { releaseBody } from "./fs.js";
export { DIRECTORY_STAT, folderPrefix, isEntryName, rcloneMtime, SMALL_READ } from "./store.js";
export { heldFiles, type HeldFiles } from "./held-files.js";
export { eachInTurns } from "./turns.js";
export { readFully, type ReadAt } from "./read-fully.js";
export { memoryFileSystem, type MemoryFile, type MemoryFileSystemOptions } from "./memory-fs.js";
export { contentType } from "./content-type.js";
export type { ListingEntryJson, ListingJson } from "./listing-data.js";
export { encodeName, hasRawBytes, nameBytes, nameFromBytes } from "./names.js";
export { VERSION } from "./version.js";
export {
  accessLogEntry,
  clientAddress,
  formatAccessLog,
  logFields,
  type AccessLogEntry,
  type Exchange,
} from "./access-log.js";
export {
  localUrl,
  serveSettings,
  TLS_ERROR_CODE,
  tlsRefused,
  type RunningServer,
  type ServeOptions,
  type ServeSettings,
} from "./serve-options.js";
export { ABSENT_CODES, isAbsent, notServable } from "./errors.js";
