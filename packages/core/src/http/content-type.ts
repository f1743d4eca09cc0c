/**
 * `Content-Type` from a file name, using the `mime` package's standard table.
 *
 * @module
 */
import mime from "mime/lite";

/** Sent when the extension says nothing (RFC 9110 §8.3: the recipient may then sniff, or treat it as bytes). */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

// Text that a browser would otherwise decode with a locale-dependent legacy charset. Binary types
// such as application/wasm must never carry a charset (some loaders reject it).
const NEEDS_CHARSET = /^text\/|^application\/(javascript|json|[\w.-]+\+json)$/;

// Names repeat (every request for /app.js asks again), so each extension is looked up once.
const byExtension = new Map<string, string>();

/**
 * The `Content-Type` for a file name: the registered type of its extension, with
 * `; charset=utf-8` for text, JavaScript and JSON, or `application/octet-stream`.
 *
 * @example
 * ```ts
 * contentType("index.html"); // "text/html; charset=utf-8"
 * contentType("app.wasm");   // "application/wasm"
 * contentType("README");     // "application/octet-stream"
 * ```
 */
export function contentType(name: string): string {
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return DEFAULT_CONTENT_TYPE;
  const extension = name.slice(dot + 1).toLowerCase();
  let type = byExtension.get(extension);
  if (type === undefined) {
    const registered = mime.getType(extension);
    type =
      registered === null
        ? DEFAULT_CONTENT_TYPE
        : NEEDS_CHARSET.test(registered)
          ? `${registered}; charset=utf-8`
          : registered;
    byExtension.set(extension, type);
  }
  return type;
}
