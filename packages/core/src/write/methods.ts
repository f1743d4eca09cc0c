/**
 * Which methods a handler answers, by its write switches: for `Allow` (RFC 9110 §10.2.1) and the
 * 405 that a method beyond them gets.
 *
 * @module
 */
import type { WriteConfig } from "./options.js";

/** The methods every handler answers: a read-only resource's (RFC 9110 §9.1). */
export const READ_METHODS = ["GET", "HEAD", "OPTIONS"] as const;
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
 * allowedMethods(null); // "GET, HEAD, OPTIONS"
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
