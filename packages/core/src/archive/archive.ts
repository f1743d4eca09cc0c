/**
 * A directory downloaded as one archive (`?download=zip` or `?download=tar`), streamed.
 *
 * The tree is walked first, with `readDir` alone (archive-walk.ts): that decides, before a byte
 * goes out, whether it is within the caps, and gives the archive's exact length for
 * `Content-Length`, so a client can show progress and tell a cut download from a whole one. Then
 * the files are read one at a time, each as it is reached, a chunk at a time: memory stays flat
 * whatever the archive's size. A file that fails to read or changes size errors the stream (the
 * server then cuts the connection short of `Content-Length`); a client that leaves cancels it,
 * and the file being read is released.
 *
 * Zip is written by client-zip (archive-zip.ts; docs/archives.md compares it with fflate), tar
 * by hand (archive-tar.ts).
 *
 * @module
 */

import type { FileSystem } from "../fs/file-system.js";
import { type DotfilePolicy, isVisible, type ResolvedPath } from "../fs/resolve.js";
import { type Reply, reply } from "../http/reply.js";
import type { ArchiveEntry, ArchiveLimits, Visible } from "./walk.js";

export type { ArchiveEntry, ArchiveLimits, Visible } from "./walk.js";

/** The archive formats made: zip (every desktop opens it) and POSIX tar (pax). */
export type ArchiveFormat = "zip" | "tar";

/**
 * The caps when `archive: true`.
 *
 * - `maxEntries` 10,000: the walk costs one stat per entry before the first byte (on Node,
 *   synchronous; measured: docs/performance.md#measurements-behind-design-choices), and a zip
 *   keeps ~100 bytes per entry for its central directory until the end.
 * - `maxBytes` 4 GiB: beyond it a zip needs ZIP64, which some unzippers still cannot read (Windows
 *   Explorer before Windows 10 among them); within it any unzipper can. Raise it knowingly.
 */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 10_000,
  maxBytes: 4 * 1024 ** 3,
});

/**
 * The status refusing a folder over the caps. 403: the server understood the request and refuses
 * it, saying why in the content (RFC 9110 §15.5.4), and repeating it will not help. Not 413,
 * which is about the request's own content (§15.5.14); not 503 or 429, which promise a later try
 * may work; not 507, WebDAV's for storing a representation (RFC 4918 §11.5).
 */
export const ARCHIVE_TOO_LARGE = 403;

/** What {@link archiveReply} needs to answer for one directory. */
export interface ArchiveRequest {
  fs: FileSystem;
  /** The directory's path for the `FileSystem`; `""` for the root. */
  path: string;
  /** The archive's base name, without extension: the directory's last segment, or e.g. `"root"`. */
  name: string;
  format: ArchiveFormat;
  /** The server's dotfile policy: `(name, atRoot) => isVisible(name, atRoot, dotfiles)`. */
  visible: Visible;
  limits: ArchiveLimits;
  /** A HEAD request: the same status and headers, no body (and no file read). */
  head: boolean;
  /** The headers every answer carries; extended in place and used for the reply. */
  headers: Headers;
}

/**
 * An archive with more entries than this needs the ZIP64 end record for its count (APPNOTE
 * 4.4.21: 0xFFFF in the classic record means "see ZIP64"), which client-zip 2.5 writes only for
 * large sizes or offsets, not for the count alone. So a zip holds at most this many entries.
 */
export const ZIP_MAX_ENTRIES = 0xfffe;

const HTML = "text/html; charset=utf-8";
const MEDIA_TYPE: Readonly<Record<ArchiveFormat, string>> = { zip: "application/zip", tar: "application/x-tar" };
const encoder = new TextEncoder();

/**
 * Answers `request.path` as an archive: 200 with the streamed zip or tar, or
 * {@link ARCHIVE_TOO_LARGE} with an HTML page saying how large the folder is and what the limit
 * is. Errors of the walk (`readDir` of a subdirectory that cannot be read) are thrown, for the
 * handler to map as it maps any filesystem error.
 *
 * @example
 * ```ts
 * const format = downloadOf(search);
 * if (format !== null && limits) {
 *   return archiveReply({
 *     fs, path: resolved.path, name: resolved.segments.at(-1) ?? "root", format,
 *     visible: (name, atRoot) => isVisible(name, atRoot, dotfiles),
 *     limits, head: request.method === "HEAD", headers: commonHeaders(),
 *   });
 * }
 * ```
 */
export async function archiveReply(request: ArchiveRequest): Promise<Reply> {
  const { fs, path, format, visible, head, headers } = request;
  const limits = formatLimits(request.limits, format);
  // What makes an archive loads with the first one asked for (client-zip for a zip), not with
  // the server: a server without --archive never loads it (docs/performance.md, "What start-up loads").
  const [{ walkTree }, { contentDisposition, tooLargePage }, writer] = await Promise.all([
    import("./walk.js"),
    import("./headers.js"),
    writerOf(format),
  ]);
  const tree = await walkTree(fs, path, visible, limits);
  if (!tree.fits) {
    const page = encoder.encode(tooLargePage(ARCHIVE_TOO_LARGE, { ...tree, ...limits }));
    headers.set("content-type", HTML);
    headers.set("content-length", String(page.byteLength));
    return reply(ARCHIVE_TOO_LARGE, headers, head ? null : page);
  }
  const { entries } = tree;
  headers.set("content-type", MEDIA_TYPE[format]);
  headers.set("content-disposition", contentDisposition(`${request.name || "archive"}.${format}`));
  headers.set("content-length", String(writer.length(entries)));
  if (head) return reply(200, headers);
  return reply(200, headers, writer.stream(fs, entries));
}

/** How an archive of one format is written: its exact length, and its bytes. */
interface ArchiveWriter {
  length(entries: readonly ArchiveEntry[]): number;
  stream(fs: FileSystem, entries: readonly ArchiveEntry[]): ReadableStream<Uint8Array>;
}

/** The writer of `format`, loaded: client-zip's for a zip, ours for a tar. */
async function writerOf(format: ArchiveFormat): Promise<ArchiveWriter> {
  if (format === "zip") {
    const { zipLength, zipStream } = await import("./zip.js");
    return { length: zipLength, stream: zipStream };
  }
  const { tarLength, tarStream } = await import("./tar.js");
  return { length: tarLength, stream: tarStream };
}

/**
 * The caps of an archive of `format` under `limits`: a zip also holds at most
 * {@link ZIP_MAX_ENTRIES} entries, a tar has no count of its own.
 *
 * @example
 * ```ts
 * formatLimits({ maxEntries: 100_000, maxBytes: Infinity }, "zip"); // { maxEntries: 65534, maxBytes: Infinity }
 * ```
 */
export function formatLimits(limits: ArchiveLimits, format: ArchiveFormat): ArchiveLimits {
  return format === "zip" ? { ...limits, maxEntries: Math.min(limits.maxEntries, ZIP_MAX_ENTRIES) } : { ...limits };
}

/**
 * The caps an `archive` option means: `null` when archives are off, {@link DEFAULT_ARCHIVE_LIMITS}
 * for `true`, those with the given ones in place for an object. Throws on a cap that is not a
 * whole number of at least 0 (`Infinity` lifts a cap).
 *
 * @example
 * ```ts
 * archiveLimits(true); // { maxEntries: 10000, maxBytes: 4294967296 }
 * archiveLimits({ maxBytes: Infinity }); // { maxEntries: 10000, maxBytes: Infinity }
 * ```
 */
export function archiveLimits(option: boolean | Partial<ArchiveLimits> | undefined): ArchiveLimits | null {
  if (!option) return null;
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...(option === true ? {} : option) };
  for (const [key, value] of Object.entries(limits)) {
    if (!(value === Infinity || (Number.isSafeInteger(value) && value >= 0)))
      throw new TypeError(`invalid archive.${key}: ${String(value)}`);
  }
  return limits;
}

/** What a query's `download` asks for: a format made here, or `"unknown"` for any other value. */
export type Download = ArchiveFormat | "unknown";

/**
 * The archive a query asks for with `download=zip` or `download=tar`; `"unknown"` for any other
 * value of `download` (`rar`, empty), which the handler refuses; `null` when there is none.
 *
 * @example
 * ```ts
 * downloadOf("?download=zip"); // "zip"
 * downloadOf("?download=rar"); // "unknown"
 * downloadOf("?sort=size"); // null
 * ```
 */
export function downloadOf(search: string): Download | null {
  // Most folder requests have no query: no parser for them.
  if (search === "") return null;
  const download = new URLSearchParams(search).get("download");
  if (download === null) return null;
  return download === "zip" || download === "tar" ? download : "unknown";
}

/**
 * The directory `resolved` as an archive of `format`, within `limits`: what the handler calls for
 * a folder asked for with `?download=`.
 *
 * @example
 * ```ts
 * const format = downloadOf(search);
 * if (limits !== null && format !== null) {
 *   return serveArchive({ fs, dotfiles }, limits, request, resolved, format, headers);
 * }
 * ```
 */
export function serveArchive(
  site: { fs: FileSystem; dotfiles: DotfilePolicy },
  limits: ArchiveLimits,
  request: Request,
  resolved: ResolvedPath,
  format: ArchiveFormat,
  headers: Headers,
): Promise<Reply> {
  return archiveReply({
    fs: site.fs,
    path: resolved.path,
    name: resolved.segments.at(-1) ?? "root",
    format,
    visible: (name, atRoot) => isVisible(name, atRoot, site.dotfiles),
    limits,
    head: request.method === "HEAD",
    headers,
  });
}
