/**
 * The `write` option: what a handler lets clients change, settled once at construction
 * (docs/writes.md). Off by default: every write is then a 405.
 *
 * @module
 */

/** Options of the handler's writes. */
export interface WriteOptions {
  /**
   * Create files (`PUT`, a form `POST`) and folders (`MKCOL`). Nothing that exists is replaced:
   * a `PUT` to an existing file answers 409 (412 with `If-None-Match: *`).
   * @default false
   * @example true
   */
  upload?: boolean;
  /**
   * Also replace files, and `DELETE`, `MOVE` and `COPY` over something.
   * @default false
   * @example true
   */
  delete?: boolean;
  /**
   * The largest file a client may send, in bytes: answered 413 before reading when
   * `Content-Length` says more, and enforced while the body streams in otherwise. The default is
   * above any phone's video and below a disk one request could fill.
   * @default 10 GiB
   * @example 100 * 1024 ** 2
   */
  maxUploadSize?: number;
  /**
   * The most files one form `POST` may hold (a folder dropped on the page sends one per file).
   * @default 1000
   * @example 100
   */
  maxFormFiles?: number;
  /**
   * Serve HTML and SVG as they are even while writes are on. Off, they are sent with
   * `Content-Security-Policy: sandbox …`, so a page someone uploaded runs in an origin of its own
   * and cannot act with a visitor's credentials on the share (docs/security.md). Turn on only
   * when everyone who can write is trusted.
   * @default false
   * @example true
   */
  trustUploads?: boolean;
}

/** The writes, settled. */
export interface WriteConfig {
  upload: boolean;
  delete: boolean;
  maxUploadSize: number;
  maxFormFiles: number;
  trustUploads: boolean;
}

const DEFAULT_MAX_UPLOAD_SIZE = 10 * 1024 ** 3;
const DEFAULT_MAX_FORM_FILES = 1000;

/**
 * The settled writes, or `null` when nothing may be written. Throws a TypeError on a limit that is
 * not a positive whole number.
 *
 * @param option the handler's `write` option
 * @returns what the handler allows, or `null`
 * @example
 * ```ts
 * writeConfig({ upload: true }); // { upload: true, delete: false, maxUploadSize: 10737418240, … }
 * writeConfig(undefined);        // null
 * ```
 */
export function writeConfig(option: WriteOptions | undefined): WriteConfig | null {
  if (option === undefined || (!option.upload && !option.delete)) return null;
  const maxUploadSize = checkedLimit("maxUploadSize", option.maxUploadSize ?? DEFAULT_MAX_UPLOAD_SIZE);
  const maxFormFiles = checkedLimit("maxFormFiles", option.maxFormFiles ?? DEFAULT_MAX_FORM_FILES);
  // Replacing and deleting is the larger right: it includes creating.
  const upload = Boolean(option.upload || option.delete);
  return {
    upload,
    delete: Boolean(option.delete),
    maxUploadSize,
    maxFormFiles,
    trustUploads: Boolean(option.trustUploads),
  };
}

function checkedLimit(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`invalid write.${name}: ${String(value)}`);
  return value;
}
