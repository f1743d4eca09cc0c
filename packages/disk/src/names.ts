/**
 * The paths of the root and of the entries under it, as the system takes them: a name that is
 * not UTF-8 (core's names.ts carries its bytes as U+DC80–U+DCFF) goes to the system as its own
 * bytes, for given as a string, node:fs would write each such byte as U+FFFD and name another file.
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { resolve, sep } from "node:path";
import { hasRawBytes, nameBytes, nameFromBytes } from "@simplehttp/core";
import { lossy } from "./containment.js";

/** Where the root is, and the system's path for each of the core's paths under it. */
export interface RootPaths {
  /** The root, absolute, as given (symlinks not resolved). */
  base: string;
  /** The system's path for `path` (a core path: `/`-separated checked segments, "" for the root). */
  full(path: string): string | Buffer;
}

/**
 * The paths under `root` (resolved against the current directory).
 *
 * @example
 * ```ts
 * rootPaths("/srv/www").full("docs/inv\uDCFFalid.txt"); // <Buffer "/srv/www/docs/inv\xffalid.txt">
 * ```
 */
export function rootPaths(root: string): RootPaths {
  const base = resolve(root);
  // Concatenation, not join(): the core's paths are already checked segments (no `.`, `..` or
  // empty ones), so there is nothing to normalise, and join() costs a few percent of a 404.
  const prefix = base.endsWith(sep) ? base : base + sep;
  const prefixBytes = Buffer.from(prefix);
  const full = (path: string): string | Buffer => {
    if (path === "") return base;
    return hasRawBytes(path) ? Buffer.concat([prefixBytes, nameBytes(path)]) : prefix + path;
  };
  return { base, full };
}

/**
 * The path of each entry of the directory `dir`, from its core name: a string while both are
 * plain strings, else bytes.
 *
 * @example
 * ```ts
 * const pathOf = entryPath("/srv/www/dir");
 * pathOf("a.txt"); // "/srv/www/dir/a.txt"
 * ```
 */
export function entryPath(dir: string | Buffer): (name: string) => string | Buffer {
  // Concatenation, not join(): `name` is one entry, and join's normalising walk is a noticeable
  // part of each entry's cost in a large listing (measured: docs/performance.md#measurements-behind-design-choices).
  if (typeof dir === "string") {
    const parent = dir.endsWith(sep) ? dir : dir + sep;
    return (name) => (hasRawBytes(name) ? Buffer.concat([Buffer.from(parent), nameBytes(name)]) : parent + name);
  }
  const parent = dir.at(-1) === SLASH ? dir : Buffer.concat([dir, Buffer.of(SLASH)]);
  return (name) => Buffer.concat([parent, nameBytes(name)]);
}

/**
 * The names in `dir`, each as the core names it: node:fs decodes names as UTF-8 and puts U+FFFD
 * for bytes that are not, which would name another file or none. Only a directory where U+FFFD
 * shows is read again as bytes, so the common listing pays nothing.
 *
 * @example
 * ```ts
 * entryNames("/srv/www"); // ["a.txt", "inv\uDCFFalid.txt"]
 * ```
 */
export function entryNames(dir: string | Buffer): string[] {
  const names = readdirSync(dir);
  if (!names.some(lossy)) return names;
  return readdirSync(dir, { encoding: "buffer" }).map(nameFromBytes);
}

const SLASH = sep.charCodeAt(0);
