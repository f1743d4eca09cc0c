/**
 * Which requests speak tus 1.0 (tus.ts answers them), and what an OPTIONS answer says of it: what
 * the handler asks of every request, apart from the answers, so that a server loads those only
 * when a write comes (docs/performance.md, "What start-up loads").
 *
 * @module
 */
import type { WriteConfig } from "./options.js";

/** The one version spoken (tus 1.0 §Tus-Resumable). */
export const TUS_VERSION = "1.0.0";

// No creation-defer-length (a length is known when a client starts), no creation-with-upload,
// checksum nor concatenation. Expiration: an upload untouched for a day is removed (fs/partial.ts).
const EXTENSIONS = "creation,termination,expiration";
const TUS_METHODS: ReadonlySet<string> = new Set(["HEAD", "PATCH", "DELETE", "POST"]);

/**
 * The upload id the query `search` names (`?tus=<id>`), or null.
 *
 * @example
 * ```ts
 * uploadIdOf("?tus=9f86d081884c7d659a2feaa0c55ad015"); // "9f86d081884c7d659a2feaa0c55ad015"
 * uploadIdOf("?sort=name"); // null
 * ```
 */
export function uploadIdOf(search: string): string | null {
  return search.includes("tus=") ? new URLSearchParams(search).get("tus") : null;
}

/**
 * Whether `request` speaks tus: a PATCH, a HEAD, DELETE or POST of an upload URL, or a POST that
 * creates an upload (it says `Tus-Resumable` or `Upload-Length`; a form POST says neither).
 *
 * @example
 * ```ts
 * if (isTusRequest(request, uploadIdOf(search))) return tus(context, request, resolved, id);
 * ```
 */
export function isTusRequest(request: Request, id: string | null): boolean {
  const { method, headers } = request;
  if (method === "PATCH" || (id !== null && TUS_METHODS.has(method))) return true;
  return method === "POST" && (headers.has("tus-resumable") || headers.has("upload-length"));
}

/**
 * The headers of an OPTIONS answer that tell a tus client what is offered (tus 1.0 §OPTIONS), or
 * none when uploads are off or the filesystem has no resumable uploads.
 *
 * @example
 * ```ts
 * tusOptions(writeConfig({ upload: true }), true); // [["tus-version", "1.0.0"], …]
 * ```
 */
export function tusOptions(write: WriteConfig | null, resumable: boolean): [string, string][] {
  if (!write?.upload || !resumable) return [];
  return [
    ["tus-resumable", TUS_VERSION],
    ["tus-version", TUS_VERSION],
    ["tus-extension", EXTENSIONS],
    ["tus-max-size", String(write.maxUploadSize)],
  ];
}
