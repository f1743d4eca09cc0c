/**
 * @simplehttp/core: a static file server as one WinterCG fetch handler, over an abstract filesystem.
 * Runtime-neutral: it uses only web APIs, so it bundles for Node, Bun, Deno and edge workers.
 *
 * @module
 */
export { createHandler, createResponder, type Handler, type Responder } from "./handler/handler.js";
export { toResponse, type Reply } from "./http/reply.js";
export type { CacheControlOptions, HandlerOptions, PrecompressedEncoding } from "./handler/options.js";
export type { CorsOptions } from "./handler/cors.js";
export type { DotfilePolicy } from "./fs/resolve.js";
export type { AuthOptions, AuthUser } from "./handler/auth.js";
export type { ByteRange, DeferredBody, DirEntry, FileBody, FileKind, FileStat, FileSystem, OpenedFile, RangeHint } from "./fs/file-system.js";
export { releaseBody } from "./fs/file-system.js";
export { DIRECTORY_STAT, folderPrefix, isEntryName, rcloneMtime, SMALL_READ } from "./fs/store.js";
export { heldFiles, type HeldFiles } from "./fs/held-files.js";
export { eachInTurns } from "./fs/turns.js";
export { readFully, type ReadAt } from "./fs/read-fully.js";
export { memoryFileSystem, type MemoryFile, type MemoryFileSystemOptions } from "./fs/memory.js";
export { contentType } from "./http/content-type.js";
export type { ListingEntryJson, ListingJson } from "./listing/data.js";
export { encodeName, hasRawBytes, nameBytes, nameFromBytes } from "./fs/names.js";
export { VERSION } from "./version.js";
export {
  accessLogEntry,
  clientAddress,
  formatAccessLog,
  logFields,
  type AccessLogEntry,
  type Exchange,
} from "./server/access-log.js";
export {
  localUrl,
  serveSettings,
  TLS_ERROR_CODE,
  tlsRefused,
  type RunningServer,
  type ServeOptions,
  type ServeSettings,
} from "./server/serve-options.js";
export { ABSENT_CODES, isAbsent, notServable } from "./fs/errors.js";
