/**
 * The root, absolute, and the system's path for each of the core's paths under it.
 *
 * @module
 */
import { hasRawBytes, notServable } from "@simplehttp/core";

/** The root, absolute, and the path under it of each of the core's paths. */
export interface RootPaths {
  base: string;
  /** The path of a core path (`/`-separated checked segments, "" for the root). */
  full(path: string): string;
}

/**
 * The paths under `root` (resolved against the current directory). A name that is not UTF-8 has
 * no path here: Deno cannot spell it (absent, as for reads).
 *
 * @example
 * ```ts
 * rootPaths("/srv/www").full("docs/a.txt"); // "/srv/www/docs/a.txt"
 * ```
 */
export function rootPaths(root: string): RootPaths {
  // The core's paths are `/`-separated and already checked, and Deno accepts `/` on Windows too.
  const absolute = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(root) ? root : `${Deno.cwd()}/${root}`;
  const base = absolute.replace(/(?<=.)[\\/]+$/, "");
  const full = (path: string): string => {
    // A byte that is not UTF-8 comes as a lone surrogate (core's names.ts), and Deno writes every
    // lone surrogate as U+FFFD on its way to the system: `inv\uDCFFalid.txt` would open another
    // file, one really named `inv\u{FFFD}alid.txt`. No Deno file API takes bytes, so: absent.
    if (hasRawBytes(path)) throw notServable(path, "a name Deno cannot spell");
    return path === "" ? base : `${base}/${path}`;
  };
  return { base, full };
}
