/**
 * @simplehttp/core: a static file server as one WinterCG fetch handler, over an abstract filesystem.
 * Runtime-neutral: it uses only web APIs, so it bundles for Node, Bun, Deno and edge workers.
 *
 * @module
 */

export { type RootAbsences, rootAbsences, rootStateOf, SETTLED_MS } from "./fs/absences.js";
export { ABSENT_CODES, isAbsent, notServable, statusForError } from "./fs/errors.js";
export type {
  ByteRange,
  DeferredBody,
  DirEntry,
  FileBody,
  FileKind,
  FileStat,
  FileSystem,
  OpenedFile,
  RangeHint,
} from "./fs/file-system.js";
export { bodyInit, releaseBody } from "./fs/file-system.js";
export { type HeldFiles, heldFiles } from "./fs/held-files.js";
export { type MemoryFile, type MemoryFileSystemOptions, memoryFileSystem } from "./fs/memory.js";
export { encodeName, hasRawBytes, nameBytes, nameFromBytes } from "./fs/names.js";
export { type Chunks, type PartialFiles, type PartialWritesOptions, partialWrites } from "./fs/partial.js";
export { type BodyLimits, type Part, PartReader, partSize } from "./fs/parts.js";
export { type ReadAt, readFully } from "./fs/read-fully.js";
export type { DotfilePolicy } from "./fs/resolve.js";
export { DIRECTORY_STAT, folderPrefix, isEntryName, mtimeSeconds, rcloneMtime, SMALL_READ } from "./fs/store.js";
export { eachInTurns } from "./fs/turns.js";
export {
  type FileWrites,
  type PartialOptions,
  type PartialStatus,
  type PartialWrites,
  type PutOptions,
  UPLOAD_TEMP_PREFIX,
  type WriteMode,
  type WriteResult,
} from "./fs/writes.js";
export type { AuthOptions, AuthUser } from "./handler/auth.js";
export type { CorsOptions } from "./handler/cors.js";
export { createHandler, createResponder, type Handler, type Responder } from "./handler/handler.js";
export type { CacheControlOptions, HandlerOptions, PrecompressedEncoding } from "./handler/options.js";
export { type ContentTypes, contentType, contentTypeTable } from "./http/content-type.js";
export { type Reply, toResponse } from "./http/reply.js";
export { headersInit, ReplyHeaders } from "./http/reply-headers.js";
export type { ListingEntryJson, ListingJson } from "./listing/data.js";
export type { LiveReloadOptions } from "./live/live.js";
export { type HeaderRule, parseHeaders } from "./rules/headers.js";
export { HEADERS_FILE, REDIRECTS_FILE, type RuleWarning } from "./rules/lines.js";
export { parseRedirects, type RedirectRule, type Redirects } from "./rules/redirects.js";
export { ruleWarnings } from "./rules/site-rules.js";
export {
  type AccessLogEntry,
  accessLogEntry,
  clientAddress,
  type Exchange,
  formatAccessLog,
  logFields,
} from "./server/access-log.js";
export {
  localUrl,
  type RunningServer,
  type ServeOptions,
  type ServeSettings,
  serveSettings,
  TLS_ERROR_CODE,
  tlsRefused,
} from "./server/serve-options.js";
export { VERSION } from "./version.js";
export { READ_METHODS, writeMethods } from "./write/methods.js";
export type { WriteOptions } from "./write/options.js";
