/**
 * A body read as the parts of an upload: one part held at a time, never the whole file, with the
 * size cap and the announced length checked as the bytes come (codes of writes.ts). What a store
 * (S3, R2) needs to send a body of any length as a multipart upload.
 *
 * @module
 */

const writeError = (code: string, message: string): Error & { code: string } =>
  Object.assign(new Error(message), { code });

/** One part: its bytes, and whether it is the body's last (nothing follows it). */
export interface Part {
  bytes: Uint8Array<ArrayBuffer>;
  last: boolean;
}

/** What a body may hold: at most `maxBytes`, and exactly `length` when the client announced it. */
export interface BodyLimits {
  maxBytes: number;
  length?: number;
}

/**
 * The parts of `body`, `size` bytes each but the last. A part is read one chunk beyond its end
 * before it is handed out, so that a body that fits in one part is known to (a single PutObject)
 * without holding more than that chunk besides the part.
 *
 * @example
 * ```ts
 * const parts = new PartReader(body, 8 * 2 ** 20, { maxBytes: 2 ** 30 });
 * for (let part = await parts.next(); ; part = await parts.next()) { send(part.bytes); if (part.last) break; }
 * ```
 */
export class PartReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #size: number;
  readonly #limits: BodyLimits;
  #chunks: Uint8Array[] = [];
  #held = 0;
  #total = 0;
  #ended = false;

  constructor(body: ReadableStream<Uint8Array>, size: number, limits: BodyLimits) {
    this.#reader = body.getReader();
    this.#size = size;
    this.#limits = limits;
  }

  /** How many bytes the body has given so far. */
  get total(): number {
    return this.#total;
  }

  /**
   * The next part. Throws `EFBIG` past `maxBytes`, `EBADMSG` for a body longer or shorter than
   * its announced length, or whatever the body itself failed with.
   */
  async next(): Promise<Part> {
    while (!this.#ended && this.#held <= this.#size) {
      const read = await this.#reader.read();
      if (read.done) this.#end();
      else this.#add(read.value);
    }
    const bytes = this.#take(Math.min(this.#size, this.#held));
    return { bytes, last: this.#ended && this.#held === 0 };
  }

  /** Stops reading: the body is cancelled (a client still sending is told no more is wanted). */
  async cancel(reason: unknown): Promise<void> {
    this.#chunks = [];
    await this.#reader.cancel(reason).catch(() => {});
  }

  #add(chunk: Uint8Array): void {
    this.#total += chunk.byteLength;
    const { maxBytes, length } = this.#limits;
    if (this.#total > maxBytes) throw writeError("EFBIG", `the body holds more than ${maxBytes} bytes`);
    if (length !== undefined && this.#total > length)
      throw writeError("EBADMSG", `the body holds more than its announced ${length} bytes`);
    this.#chunks.push(chunk);
    this.#held += chunk.byteLength;
  }

  #end(): void {
    this.#ended = true;
    const { length } = this.#limits;
    if (length !== undefined && this.#total !== length)
      throw writeError("EBADMSG", `the body held ${this.#total} of its announced ${length} bytes`);
  }

  /** The first `count` bytes held, in one array of their own; the rest stays held. */
  #take(count: number): Uint8Array<ArrayBuffer> {
    const bytes = new Uint8Array(count);
    let at = 0;
    while (at < count) {
      const chunk = this.#chunks[0] as Uint8Array;
      const used = Math.min(chunk.byteLength, count - at);
      bytes.set(chunk.subarray(0, used), at);
      at += used;
      if (used === chunk.byteLength) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(used);
    }
    this.#held -= count;
    return bytes;
  }
}

/**
 * The part size for a body of at most `limit` bytes: `min`, or larger when `maxParts` parts of
 * it would not hold the body (S3 and R2 take at most 10,000), rounded up to a whole MiB.
 *
 * @example
 * ```ts
 * partSize(10 * 2 ** 30, 8 * 2 ** 20, 10_000); // 8 MiB: 10 GiB fits in 1,280 parts
 * ```
 */
export function partSize(limit: number, min: number, maxParts: number): number {
  const mib = 2 ** 20;
  return Math.max(min, Math.ceil(limit / maxParts / mib) * mib);
}
