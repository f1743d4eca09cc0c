/**
 * Resumable uploads (writes.ts's `PartialWrites`) built on what a filesystem supplies: the
 * incomplete file's own four operations (`PartialFiles`). Everything else is here, once, so every
 * filesystem keeps the same rules: unguessable ids bound to their path, one request of an upload
 * at a time (the newest stopping an append still reading), the offset checked, bytes past the
 * length refused, and uploads untouched for a day aborted.
 *
 * The uploads in progress live in this process's memory: a server that restarts has none, and the
 * temporary files of the one before are removed by the clean-up after a crash (a disk's).
 *
 * @module
 */
import type { PartialOptions, PartialStatus, PartialWrites, WriteMode, WriteResult } from "./writes.js";

/** The next chunk of a body, or null at its end (or when its request was overtaken). */
export type Chunks = () => Promise<Uint8Array | null>;

/** What a filesystem supplies for resumable uploads: the incomplete file `F` and its operations. */
export interface PartialFiles<F> {
  /**
   * Makes an empty incomplete file for `path`, never listed nor served (on a disk, a temporary
   * file in the target's folder), after making the missing folders on the way when `parents`.
   */
  create(path: string, parents: boolean): Promise<F>;
  /**
   * Writes the chunks of `next` at `offset` on, in order, and flushes them to the disk. When
   * `next` or a write fails, what was written whole is kept (anything past it cut off) and
   * flushed, and the failure is answered beside how much was written; it rejects only when it
   * cannot say what is stored, and the upload is then dropped.
   */
  write(file: F, offset: number, next: Chunks): Promise<{ written: number; failure?: unknown }>;
  /** Gives the complete file its name `path` as put does (`mode`), or fails leaving that name as it was. */
  commit(file: F, path: string, mode: WriteMode): Promise<WriteResult>;
  /** Removes the incomplete file; quietly when it is gone already. */
  discard(file: F): Promise<void>;
}

/** Options of {@link partialWrites}. */
export interface PartialWritesOptions {
  /**
   * The clock, in ms since the epoch: tests move it on instead of waiting a day.
   * @default Date.now
   * @example () => fakeNow
   */
  now?: () => number;
  /**
   * How long an upload may go untouched (no request of it) before it is aborted. A day: a phone
   * that lost its network overnight resumes in the morning, and a disk does not keep abandoned
   * halves for ever.
   * @default 24 * 60 * 60 * 1000
   * @example 60 * 60 * 1000
   */
  maxIdleMs?: number;
}

interface Upload<F> {
  path: string;
  options: PartialOptions;
  file: F;
  offset: number;
  touchedMs: number;
  /** Settles when the last request queued on this upload is done: the next one waits for it. */
  turn: Promise<void>;
  /** Requests queued or running: an upload with any is never swept. */
  pending: number;
  /** Counts the requests that arrived: an append reads only while its own is the newest. */
  generation: number;
  /** Stops the running append's reading. */
  stop?: () => void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const failure = (code: string, what: string): Error => Object.assign(new Error(`${code}: ${what}`), { code });

/**
 * The resumable uploads of a filesystem whose incomplete files are `files`.
 *
 * @param files the filesystem's incomplete files
 * @param options the clock and the idle time after which an upload is aborted
 * @returns the filesystem's {@link PartialWrites}
 * @example
 * ```ts
 * const writes: FileWrites = { put, mkdir, remove, move, copy, partial: partialWrites(diskPartialFiles) };
 * ```
 */
export function partialWrites<F>(files: PartialFiles<F>, options: PartialWritesOptions = {}): PartialWrites {
  return new Uploads(files, options.now ?? Date.now, options.maxIdleMs ?? DAY_MS);
}

/** The uploads in progress, by id. */
class Uploads<F> implements PartialWrites {
  readonly #uploads = new Map<string, Upload<F>>();

  constructor(
    readonly files: PartialFiles<F>,
    readonly now: () => number,
    readonly maxIdleMs: number,
  ) {}

  async begin(path: string, options: PartialOptions): Promise<string> {
    this.#sweep();
    if (!Number.isSafeInteger(options.length) || options.length < 0) {
      throw failure("EINVAL", `length ${options.length}`);
    }
    if (options.length > options.maxBytes) throw failure("EFBIG", `more than ${options.maxBytes} bytes`);
    const file = await this.files.create(path, options.parents);
    const id = randomId();
    this.#uploads.set(id, {
      path,
      options: { ...options },
      file,
      offset: 0,
      touchedMs: this.now(),
      turn: Promise.resolve(),
      pending: 0,
      generation: 0,
    });
    return id;
  }

  async status(path: string, id: string): Promise<PartialStatus | null> {
    try {
      const upload = this.#find(path, id);
      return await this.#inTurn(id, upload, async () => this.#statusOf(upload));
    } catch (error) {
      if ((error as { code?: unknown }).code === "ENOENT") return null;
      throw error;
    }
  }

  async append(path: string, id: string, offset: number, body: ReadableStream<Uint8Array>): Promise<PartialStatus> {
    let upload: Upload<F>;
    try {
      upload = this.#find(path, id);
    } catch (error) {
      await body.cancel().catch(() => {});
      throw error;
    }
    return this.#inTurn(id, upload, async () => {
      const reader = body.getReader();
      try {
        if (offset !== upload.offset) throw failure("ESPIPE", `offset ${offset}, the upload is at ${upload.offset}`);
        const { failure: stopped } = await this.#appendTo(id, upload, reader);
        if (stopped !== undefined) throw stopped;
        return this.#statusOf(upload);
      } catch (error) {
        await reader.cancel(error).catch(() => {});
        throw error;
      } finally {
        upload.stop = undefined;
      }
    });
  }

  async finish(path: string, id: string): Promise<WriteResult> {
    const upload = this.#find(path, id);
    return this.#inTurn(id, upload, async () => {
      const { length } = upload.options;
      if (upload.offset !== length) throw failure("EBADMSG", `${upload.offset} of ${length} bytes stored`);
      this.#uploads.delete(id);
      try {
        return await this.files.commit(upload.file, path, upload.options.mode);
      } catch (error) {
        await this.files.discard(upload.file).catch(() => {});
        throw error;
      }
    });
  }

  async abort(path: string, id: string): Promise<void> {
    const upload = this.#find(path, id);
    await this.#inTurn(id, upload, async () => {
      this.#uploads.delete(id);
      await this.files.discard(upload.file);
    });
  }

  /**
   * Aborts the uploads untouched for `maxIdleMs`: lazily, at each request, since an abandoned
   * upload holds only disk space, and only a new upload needs more of it.
   */
  #sweep(): void {
    const time = this.now();
    for (const [id, upload] of this.#uploads) {
      if (upload.pending === 0 && time - upload.touchedMs >= this.maxIdleMs) {
        this.#uploads.delete(id);
        void this.files.discard(upload.file).catch(() => {});
      }
    }
  }

  #statusOf(upload: Upload<F>): PartialStatus {
    const { length, metadata } = upload.options;
    return { offset: upload.offset, length, metadata, expiresMs: upload.touchedMs + this.maxIdleMs };
  }

  /** The upload `id` of `path`: `ENOENT` when there is none, or it was made for another path. */
  #find(path: string, id: string): Upload<F> {
    this.#sweep();
    const upload = this.#uploads.get(id);
    if (upload === undefined || upload.path !== path) throw failure("ENOENT", `no upload ${id} of ${path}`);
    return upload;
  }

  /** Runs `task` once the upload's earlier requests are done, stopping an append still reading. */
  async #inTurn<T>(id: string, upload: Upload<F>, task: () => Promise<T>): Promise<T> {
    upload.generation++;
    upload.stop?.();
    const before = upload.turn;
    let release = (): void => {};
    upload.turn = new Promise((resolve) => {
      release = resolve;
    });
    upload.pending++;
    try {
      await before;
      if (this.#uploads.get(id) !== upload) throw failure("ENOENT", `upload ${id} is over`);
      upload.touchedMs = this.now();
      return await task();
    } finally {
      upload.pending--;
      upload.touchedMs = this.now();
      release();
    }
  }

  /** Writes what `reader` gives while its request is the newest, within the upload's length. */
  async #appendTo(id: string, upload: Upload<F>, reader: ReadableStreamDefaultReader<Uint8Array>) {
    const mine = upload.generation;
    upload.stop = () => void reader.cancel().catch(() => {});
    const { length } = upload.options;
    let end = upload.offset;
    const next: Chunks = async () => {
      if (upload.generation !== mine) return null;
      const { done, value } = await reader.read();
      if (done) return null;
      if (end + value.byteLength > length) throw failure("EFBIG", `a piece past the upload's ${length} bytes`);
      end += value.byteLength;
      return value;
    };
    let written: { written: number; failure?: unknown };
    try {
      written = await this.files.write(upload.file, upload.offset, next);
    } catch (error) {
      // What is stored is unknown: the upload cannot go on.
      this.#uploads.delete(id);
      await this.files.discard(upload.file).catch(() => {});
      throw error;
    }
    upload.offset += written.written;
    return written;
  }
}

/** 128 random bits in hex: an upload's id, which only its uploader learns. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
