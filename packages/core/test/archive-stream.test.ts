/**
 * Archives as streams (archive.ts): each file read only when reached and released when the
 * download stops, and a file that changed size failing the download instead of corrupting it.
 */
import { describe, expect, it } from "vitest";
import { type ArchiveFormat, archiveReply } from "../src/archive/archive.js";
import {
  type ByteRange,
  type DeferredBody,
  type FileBody,
  type FileSystem,
  memoryFileSystem,
  toResponse,
} from "../src/index.js";

const CHUNK = 1024;
const SIZE = 64 * CHUNK;
const FORMATS: ArchiveFormat[] = ["zip", "tar"];
const base = memoryFileSystem({
  "a.bin": new Uint8Array(SIZE).fill(1),
  "b.bin": new Uint8Array(SIZE).fill(2),
  "c.txt": "c",
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** A body handed out by read(), and what became of it. */
interface Handed {
  path: string;
  /** Bytes its stream gave. */
  given: number;
  /** Read to its end, cancelled by a reader, or (deferred, never streamed) cancelled. */
  released: boolean;
}

/**
 * `base` with every read answered by a stream (or a DeferredBody) of CHUNK-sized pieces given only
 * on demand, as a file's are; `lengthOf` may make a body longer or shorter than asked, as a file
 * that changed size since its stat would.
 */
function trackedFileSystem(
  options: { deferred?: boolean; lengthOf?: (path: string, asked: number) => number; gate?: Promise<void> } = {},
) {
  const handed: Handed[] = [];
  const fs: FileSystem = {
    ...base,
    async read(path: string, range: ByteRange): Promise<FileBody> {
      await options.gate;
      const record: Handed = { path, given: 0, released: false };
      handed.push(record);
      const length = options.lengthOf?.(path, range.end - range.start + 1) ?? range.end - range.start + 1;
      const stream = new ReadableStream<Uint8Array<ArrayBuffer>>(
        {
          pull(controller) {
            if (record.given >= length) {
              record.released = true;
              return controller.close();
            }
            const piece = Math.min(CHUNK, length - record.given);
            record.given += piece;
            controller.enqueue(new Uint8Array(piece));
          },
          cancel() {
            record.released = true;
          },
        },
        { highWaterMark: 0 },
      );
      if (!options.deferred) return stream;
      const deferred: DeferredBody = {
        stream: () => stream,
        cancel: () => {
          record.released = true;
        },
      };
      return deferred;
    },
  };
  return { fs, handed };
}

async function archive(fs: FileSystem, format: ArchiveFormat): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const reply = await archiveReply({
    fs,
    path: "",
    name: "root",
    format,
    visible: () => true,
    limits: { maxEntries: 100, maxBytes: Infinity },
    head: false,
    headers: new Headers(),
  });
  const body = toResponse(reply).body;
  if (body === null) throw new Error("no body");
  return body.getReader();
}

/** Reads until `done()` holds or the stream ends; resolves with the bytes read. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  done: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  while (!done()) {
    const chunk = await reader.read();
    if (chunk.done) break;
    total += chunk.value.byteLength;
  }
  return total;
}

describe.each(FORMATS)("a %s download", (format) => {
  it("reads one file at a time, each only when the archive reaches it", async () => {
    const { fs, handed } = trackedFileSystem({ deferred: true });
    const reader = await archive(fs, format);
    expect(handed).toEqual([]); // the walk reads nothing
    await readUntil(reader, () => (handed[0]?.given ?? 0) > 0);
    expect(handed.map((body) => body.path)).toEqual(["a.bin"]);
    await readUntil(reader);
    expect(handed.map(({ path, given, released }) => [path, given, released])).toEqual([
      ["a.bin", SIZE, true],
      ["b.bin", SIZE, true],
      ["c.txt", 1, true],
    ]);
  });

  it("cancelled mid-file releases the file being read, and opens no other", async () => {
    const { fs, handed } = trackedFileSystem({ deferred: true });
    const reader = await archive(fs, format);
    await readUntil(reader, () => (handed[0]?.given ?? 0) >= 4 * CHUNK);
    await reader.cancel(new Error("client went away"));
    await settle();
    expect(handed.map(({ path, released }) => [path, released])).toEqual([["a.bin", true]]);
    expect(handed[0]?.given).toBeLessThan(SIZE);
  });

  it("cancelled while a file is being opened releases it once opened", async () => {
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { fs, handed } = trackedFileSystem({ deferred: true, gate });
    const reader = await archive(fs, format);
    const pending = reader.read(); // the archive starts, and waits for the first read()
    await settle();
    await reader.cancel(new Error("client went away"));
    await pending;
    open();
    await settle();
    expect(handed.map(({ path, given, released }) => [path, given, released])).toEqual([["a.bin", 0, true]]);
  });

  it("fails when a file shrank since the walk, rather than end short", async () => {
    const { fs, handed } = trackedFileSystem({ lengthOf: (path, asked) => (path === "b.bin" ? asked - 100 : asked) });
    const reader = await archive(fs, format);
    await expect(readUntil(reader)).rejects.toThrow(
      /b\.bin changed size while being archived: 65536 bytes when walked, ended after 65436/,
    );
    expect(handed.every((body) => body.released)).toBe(true);
  });

  it("fails when a file gives more than its size, and releases it", async () => {
    const { fs, handed } = trackedFileSystem({ lengthOf: (path, asked) => (path === "a.bin" ? asked + 1 : asked) });
    const reader = await archive(fs, format);
    await expect(readUntil(reader)).rejects.toThrow(/a\.bin changed size while being archived/);
    await settle();
    expect(handed.map(({ path, released }) => [path, released])).toEqual([["a.bin", true]]);
  });

  it("fails when a body at hand (bytes, a Blob) has the wrong length", async () => {
    for (const body of [new Uint8Array(SIZE - 1), new Blob([new Uint8Array(SIZE + 1)])]) {
      const fs: FileSystem = { ...base, read: async () => body };
      await expect(readUntil(await archive(fs, format))).rejects.toThrow(/a\.bin changed size/);
    }
  });

  it("takes Blob bodies (Bun's) as they are", async () => {
    const fs: FileSystem = {
      ...base,
      read: async (path, range) => new Blob([(await base.read(path, range)) as Uint8Array<ArrayBuffer>]),
    };
    const blobs = new Uint8Array(
      await toResponse(
        await archiveReply({
          fs,
          path: "",
          name: "r",
          format,
          visible: () => true,
          limits: { maxEntries: 9, maxBytes: Infinity },
          head: false,
          headers: new Headers(),
        }),
      ).arrayBuffer(),
    );
    const bytes = new Uint8Array(
      await toResponse(
        await archiveReply({
          fs: base,
          path: "",
          name: "r",
          format,
          visible: () => true,
          limits: { maxEntries: 9, maxBytes: Infinity },
          head: false,
          headers: new Headers(),
        }),
      ).arrayBuffer(),
    );
    expect(blobs.byteLength).toBe(bytes.byteLength);
    // Same bytes but for the zip's DOS times, which do not depend on the body: equal here.
    expect(Buffer.from(blobs).equals(Buffer.from(bytes))).toBe(true);
  });
});
