/**
 * `Content-Type` from a file name: the user's table by suffix first (the seed's `extensions_map`,
 * which its users extend), then the `mime` package's standard table.
 *
 * @module
 */
import mime from "mime/lite";

/** Sent when the extension says nothing (RFC 9110 §8.3: the recipient may then sniff, or treat it as bytes). */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

// Text that a browser would otherwise decode with a locale-dependent legacy charset. Binary types
// such as application/wasm must never carry a charset (some loaders reject it).
const NEEDS_CHARSET = /^text\/|^application\/(javascript|json|[\w.-]+\+json)$/;

// Names repeat (every request for /app.js asks again), so each extension is looked up once: its
// registered type with the charset it needs, or null when the table does not know it.
const byExtension = new Map<string, string | null>();

/** The types a handler sends, settled from its `contentTypes` option by {@link contentTypeTable}. */
export interface ContentTypes {
  /** `[suffix, type]`: suffixes lower-cased with their dot, the longest first, so `.tar.gz` beats `.gz`. */
  bySuffix: readonly (readonly [string, string])[];
  /** The type of a name that no suffix and no registered extension types. */
  fallback: string;
}

/** The standard table alone, with `application/octet-stream` for what it does not know. */
export const STANDARD_CONTENT_TYPES: ContentTypes = { bySuffix: [], fallback: DEFAULT_CONTENT_TYPE };

/**
 * The `Content-Type` for a file name: the type `types` gives its longest matching suffix (case
 * ignored), else the registered type of its extension, with `; charset=utf-8` for text,
 * JavaScript and JSON, else the table's fallback. A name that only starts with a dot (`.env`) has
 * no extension, as Python's `splitext` has it.
 *
 * @example
 * ```ts
 * contentType("index.html"); // "text/html; charset=utf-8"
 * contentType("app.wasm");   // "application/wasm"
 * contentType("README");     // "application/octet-stream"
 * contentType("notes.MD", contentTypeTable({ ".md": "text/markdown" })); // "text/markdown; charset=utf-8"
 * ```
 */
export function contentType(name: string, types: ContentTypes = STANDARD_CONTENT_TYPES): string {
  if (types.bySuffix.length > 0) {
    const lower = name.toLowerCase();
    for (const [suffix, type] of types.bySuffix)
      if (lower.length > suffix.length && lower.endsWith(suffix)) return type;
  }
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return types.fallback;
  const extension = name.slice(dot + 1).toLowerCase();
  let type = byExtension.get(extension);
  if (type === undefined) {
    const registered = mime.getType(extension);
    type = registered === null ? null : withCharset(registered);
    byExtension.set(extension, type);
  }
  return type ?? types.fallback;
}

function withCharset(type: string): string {
  return NEEDS_CHARSET.test(type.toLowerCase()) ? `${type}; charset=utf-8` : type;
}

// RFC 9110 §8.3.1: type "/" subtype, then parameters `; name=value`, the value a token or a
// quoted string (§5.6.4, printable ASCII).
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAMETER = `[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*")`;
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:${PARAMETER})*$`);
// A suffix as a file name ends: a dot, then name characters, with no empty or trailing part.
const SUFFIX = /^(?:\.[A-Za-z0-9_+~-]+)+$/;

/**
 * Settles a handler's `contentTypes` option, once: suffixes lower-cased (the longest first), the
 * key `""` taken as the fallback, and a type without parameters given `; charset=utf-8` when it is
 * text, JavaScript or JSON, as the standard table's are. Throws a TypeError naming a suffix that
 * is not one (`md` without its dot, `.a/b`), two keys for one suffix (`.MD` and `.md`), or a type
 * that is not a media type.
 *
 * @param option Suffix → type, as the user wrote it.
 * @returns What {@link contentType} reads.
 * @example
 * ```ts
 * contentTypeTable({ ".md": "text/markdown", "": "text/plain" });
 * // { bySuffix: [[".md", "text/markdown; charset=utf-8"]], fallback: "text/plain; charset=utf-8" }
 * ```
 */
export function contentTypeTable(option: Readonly<Record<string, string>> | undefined): ContentTypes {
  if (option === undefined) return STANDARD_CONTENT_TYPES;
  const bySuffix = new Map<string, string>();
  let fallback = DEFAULT_CONTENT_TYPE;
  for (const [key, value] of Object.entries(option)) {
    if (key !== "" && !SUFFIX.test(key))
      throw new TypeError(
        `invalid contentTypes suffix: ${JSON.stringify(key)} (expected e.g. ".md", or "" for the rest)`,
      );
    if (typeof value !== "string" || !MEDIA_TYPE.test(value.trim()))
      throw new TypeError(`invalid content type for ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
    const type = value.trim().includes(";") ? value.trim() : withCharset(value.trim());
    const suffix = key.toLowerCase();
    if (key === "") fallback = type;
    else if (bySuffix.has(suffix)) throw new TypeError(`contentTypes names the suffix ${JSON.stringify(suffix)} twice`);
    else bySuffix.set(suffix, type);
  }
  return { bySuffix: [...bySuffix].sort(([a], [b]) => b.length - a.length), fallback };
}
