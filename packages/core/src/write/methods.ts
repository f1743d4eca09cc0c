/**
 * Which methods a handler answers, by its write switches: for `Allow` (RFC 9110 §10.2.1) and the
 * 405 that a method beyond them gets.
 *
 * @module
 */
import { type WriteConfig, type WriteOptions, writeConfig } from "./options.js";

/**
 * The methods every handler answers: a read-only resource's (RFC 9110 §9.1), and WebDAV's read
 * of properties (RFC 4918 §9.1), which shows what a listing shows.
 */
export const READ_METHODS = ["GET", "HEAD", "OPTIONS", "PROPFIND"] as const;
/** What creates: `PUT` and a form `POST` (files), `MKCOL` (folders), `COPY` (to a new name). */
export const CREATE_METHODS = ["PUT", "POST", "MKCOL", "COPY"] as const;
/** What changes or removes what exists. */
export const CHANGE_METHODS = ["DELETE", "MOVE"] as const;
/** tus's piece of a resumable upload (write/tus.ts): a create, offered where the filesystem resumes. */
export const RESUMABLE_METHOD = "PATCH";

const WRITES: ReadonlySet<string> = new Set([...CREATE_METHODS, ...CHANGE_METHODS, RESUMABLE_METHOD]);

/**
 * Whether `method` writes.
 *
 * @example
 * ```ts
 * isWrite("MKCOL"); // true
 * isWrite("GET");   // false
 * ```
 */
export function isWrite(method: string): boolean {
  return WRITES.has(method);
}

/**
 * The `Allow` value for `write`: the read methods, then what the switches turn on; PATCH only when
 * the filesystem takes `resumable` uploads.
 *
 * @example
 * ```ts
 * allowedMethods(null); // "GET, HEAD, OPTIONS, PROPFIND"
 * ```
 */
export function allowedMethods(write: WriteConfig | null, resumable = false): string {
  const methods: string[] = [...READ_METHODS];
  if (write?.upload) methods.push(...CREATE_METHODS);
  if (write?.upload && resumable) methods.push(RESUMABLE_METHOD);
  if (write?.delete) methods.push(...CHANGE_METHODS);
  return methods.join(", ");
}

/**
 * Whether the switches allow `method` (a write).
 *
 * @example
 * ```ts
 * writeAllowed({ upload: true, delete: false, … }, "DELETE"); // false
 * ```
 */
export function writeAllowed(write: WriteConfig | null, method: string): boolean {
  if (write === null) return false;
  return (CHANGE_METHODS as readonly string[]).includes(method) ? write.delete : write.upload;
}

/**
 * The write methods the `write` option lets a handler answer (none when it is off): for a host
 * that passes other methods on, as the Hono middleware does.
 *
 * @example
 * ```ts
 * writeMethods({ upload: true }); // ["PUT", "POST", "MKCOL", "COPY"]
 * ```
 */
export function writeMethods(option: WriteOptions | undefined): string[] {
  const write = writeConfig(option);
  return [...CREATE_METHODS, ...CHANGE_METHODS].filter((method) => writeAllowed(write, method));
}
