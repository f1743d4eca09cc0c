/**
 * What a write's answer needs from its handler: the filesystem and its writes, the settled write
 * options, and the handler's pages and headers. The handler makes it once (handler/writes.ts).
 *
 * @module
 */
import type { FileSystem } from "../fs/file-system.js";
import { encodeName } from "../fs/names.js";
import type { DotfilePolicy } from "../fs/resolve.js";
import type { FileWrites } from "../fs/writes.js";
import type { Reply } from "../http/reply.js";
import type { WriteConfig } from "./options.js";

/** The handler's parts a write answers through. */
export interface WriteContext {
  fs: FileSystem;
  writes: FileWrites;
  config: WriteConfig;
  /** The mount point, without a trailing slash: a `Location` starts with it. */
  prefix: string;
  /** The dotfile policy: a destination is checked as a request path is. */
  dotfiles: DotfilePolicy;
  /** A fresh `Headers` holding what every response carries. */
  headers(): Headers;
  /** The server's own error page for `status`, saying `reason` (one of the server's sentences). */
  error(status: number, head: boolean, headers?: Headers, reason?: string): Reply;
}

/**
 * The URL path of `segments` under `prefix`, each segment percent-encoded: a `Location`.
 *
 * @example
 * ```ts
 * locationOf("/files", ["docs", "a b.txt"], false); // "/files/docs/a%20b.txt"
 * ```
 */
export function locationOf(prefix: string, segments: readonly string[], folder: boolean): string {
  const path = segments.map(encodeName).join("/");
  return `${prefix}/${path}${folder && path !== "" ? "/" : ""}`;
}

/** The error code of a thrown write error, or `undefined`. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
