/**
 * What the parts of a tus answer (tus.ts, tus-create.ts) share: the exchange, the refusals of the
 * filesystem's resumable uploads, and the protocol's counts.
 *
 * @module
 */
import type { ResolvedPath } from "../fs/resolve.js";
import type { PartialWrites } from "../fs/writes.js";
import type { Reply } from "../http/reply.js";
import { STATUS } from "../http/status.js";
import { codeOf, type WriteContext } from "./context.js";

/** The parts of one tus request's answer. */
export interface TusExchange {
  context: WriteContext;
  partial: PartialWrites;
  request: Request;
  resolved: ResolvedPath;
  /** A fresh `Headers` with what every response carries and `Tus-Resumable` (tus 1.0 §Tus-Resumable). */
  headers(): Headers;
  /** The server's error page for `status`, with those headers (and `more`), saying `reason`. */
  refuse(status: number, reason?: string, more?: Headers): Reply;
}

/**
 * The refusal for a failure the filesystem's resumable uploads name (fs/writes.ts); any other is
 * thrown on, for the handler to map (a full disk's 507) and report.
 *
 * @example
 * ```ts
 * try { await partial.abort(path, id); } catch (error) { return refusal(exchange, error); }
 * ```
 */
export function refusal(exchange: TusExchange, error: unknown): Reply {
  const { refuse } = exchange;
  const code = codeOf(error);
  if (code === "ENOENT") return refuse(STATUS.NotFound, "no such upload: finished, terminated or expired");
  if (code === "ESPIPE") return refuse(STATUS.Conflict, "the upload is at another offset: ask with HEAD");
  if (code === "EFBIG") return refuse(STATUS.ContentTooLarge, "more bytes than the upload's length");
  if (code === "EEXIST") return refuse(STATUS.Conflict, "something is there that no write replaces");
  if (code === "EISDIR") return refuse(STATUS.Conflict, "a folder is there");
  throw error;
}

/**
 * A header's non-negative integer (tus 1.0 §Upload-Offset, §Upload-Length): `undefined` when the
 * header is absent, null when it is not one.
 *
 * @example
 * ```ts
 * count("70"); // 70
 * count("-1"); // null
 * ```
 */
export function count(value: string | null): number | undefined | null {
  if (value === null) return undefined;
  return /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : null;
}
