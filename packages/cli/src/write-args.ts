/**
 * The flags that let the command receive files (docs/writes.md): `--upload`, `--delete`,
 * `--public-read`, `--max-upload-size` and `--trust-uploads`, read into the handler's `write`
 * option.
 *
 * @module
 */
import type { WriteOptions } from "@simplehttp/core";
import { isLoopback, isWildcard } from "./addresses.js";
import { quoted, UsageError } from "./errors.js";

/** The write flags as parseArgs reads them. */
export interface WriteFlags {
  upload?: boolean;
  delete?: boolean;
  "public-read"?: boolean;
  "max-upload-size"?: string;
  "trust-uploads"?: boolean;
}

/** What the command was asked to let clients write. */
export interface WriteCommand {
  /** The handler's `write` option, or `undefined` when nothing may be written. */
  write: WriteOptions | undefined;
  /** Anyone reads; only users with a password write (`--public-read`). */
  publicRead: boolean;
}

// 1024-based, as `du -h` and every file manager count: 500M, 2G, 1.5GiB, 4096.
const UNITS: Readonly<Record<string, number>> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * The write flags, settled; a flag that means nothing without writes, or a size that is not one,
 * is a {@link UsageError}. `hasUsers` says whether `--auth` or `--auth-file` was given.
 *
 * @example
 * ```ts
 * parseWriteFlags({ upload: true, "max-upload-size": "2G" }, false).write;
 * // { upload: true, delete: false, trustUploads: false, maxUploadSize: 2147483648 }
 * ```
 */
export function parseWriteFlags(flags: WriteFlags, hasUsers: boolean): WriteCommand {
  const on = Boolean(flags.upload || flags.delete);
  const size = flags["max-upload-size"];
  if (!on && (size !== undefined || flags["trust-uploads"])) {
    const flag = size !== undefined ? "--max-upload-size" : "--trust-uploads";
    throw new UsageError(`${flag} applies to writes: add --upload or --delete`);
  }
  if (flags["public-read"] && !hasUsers) {
    throw new UsageError("--public-read leaves writes to users with a password: add --auth or --auth-file");
  }
  if (flags["public-read"] && !on) throw new UsageError("--public-read applies to writes: add --upload or --delete");
  const write: WriteOptions | undefined = on
    ? {
        upload: Boolean(flags.upload),
        delete: Boolean(flags.delete),
        trustUploads: Boolean(flags["trust-uploads"]),
        ...(size === undefined ? {} : { maxUploadSize: parseSize(size) }),
      }
    : undefined;
  return { write, publicRead: Boolean(flags["public-read"]) };
}

/** A size such as `500M`, `2G`, `1.5GiB` or `4096` (bytes), in bytes. */
function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  const bytes = match === null ? Number.NaN : Number(match[1]) * (UNITS[(match[2] ?? "").toLowerCase()] ?? Number.NaN);
  if (!Number.isFinite(bytes) || bytes < 1 || bytes > Number.MAX_SAFE_INTEGER) {
    throw new UsageError(`invalid --max-upload-size ${quoted(text)}: expected a size such as 500M, 2G or 4096`);
  }
  return Math.floor(bytes);
}

/**
 * The one-line warning for writes open to anyone beyond this machine (bound to `hostname`), or
 * `undefined`.
 *
 * @example
 * ```ts
 * writeWarning("0.0.0.0", true, false);
 * // "simplehttp: warning: writes are on for all interfaces without a password: …"
 * ```
 */
export function writeWarning(hostname: string, writes: boolean, passwords: boolean): string | undefined {
  if (!writes || passwords || isLoopback(hostname)) return undefined;
  const where = isWildcard(hostname) ? "all interfaces" : hostname;
  return (
    `simplehttp: warning: writes are on for ${where} without a password: ` +
    "anyone who can reach it can change these files; add --auth, or --bind 127.0.0.1"
  );
}
