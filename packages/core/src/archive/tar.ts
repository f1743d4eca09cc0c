/**
 * A tar of walked entries: POSIX ustar headers (POSIX.1-2008, pax, "ustar Interchange Format"),
 * with a pax extended header (typeflag `x`) before an entry whose name, size or mtime ustar cannot
 * hold. Written by hand: the format is 512-byte blocks and a checksum, and the streaming tar
 * writers on npm are built on Node streams, which the core cannot import.
 *
 * ustar limits, and what this does past them:
 * - name: 100 bytes, or a 155-byte prefix and a 100-byte name split at a `/`, of portable
 *   characters. A longer name, or a UTF-8 one that is not ASCII, goes in a pax `path` record
 *   (UTF-8, as pax records are), and its ustar field holds an ASCII stand-in for old readers. A
 *   name that is not UTF-8 (raw bytes, names.ts) is written as its bytes, in the ustar fields when
 *   it fits (GNU tar and bsdtar take names as bytes; Python decodes them with surrogateescape), in
 *   `path` when it does not (`hdrcharset=BINARY` would say so, but GNU tar warns on it).
 * - size: 11 octal digits, under 8 GiB. A larger file's size is a pax `size` record, the field 0.
 * - mtime: 11 octal digits of seconds from 1970 to 2242; earlier or later is a pax `mtime` record.
 *
 * @module
 */

import { concatBytes } from "../fs/bytes.js";
import type { FileSystem } from "../fs/file-system.js";
import { hasRawBytes, nameBytes } from "../fs/names.js";
import { type EntryBytes, entryBytes, releaseBytes } from "./file.js";
import type { ArchiveEntry } from "./walk.js";

const BLOCK = 512;
const OCTAL_11 = 8 ** 11; // the first value 11 octal digits cannot write
const encoder = new TextEncoder();
// Files up to this size are sent in one chunk with their header and padding.
const JOIN_MAX = 64 * 1024;

/** The exact byte length of {@link tarStream} over `entries` (as long as no file changes size). */
export function tarLength(entries: readonly ArchiveEntry[]): number {
  let length = 2 * BLOCK; // the end of the archive: two zero blocks
  for (const entry of entries) length += entryHeader(entry).byteLength + padded(entry.size);
  return length;
}

/**
 * The tar of `entries`, read from `fs` as it is pulled. Errors if a file cannot be read or
 * changed size since the walk; cancelling it releases the file being read.
 *
 * @example
 * ```ts
 * const tree = await walkTree(fs, "docs", visible, limits);
 * if (tree.fits) {
 *   return new Response(tarStream(fs, tree.entries), {
 *     headers: { "content-length": String(tarLength(tree.entries)) },
 *   });
 * }
 * ```
 */
export function tarStream(fs: FileSystem, entries: readonly ArchiveEntry[]): ReadableStream<Uint8Array> {
  let index = 0;
  let cancelled = false;
  let current: { bytes: EntryBytes; reader: ReadableStreamDefaultReader<Uint8Array>; size: number } | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // A pull must enqueue (or close): the stream calls it again only for a new read request.
        while (current) {
          const chunk = await current.reader.read(); // errors (a file that changed size) error the archive
          if (!chunk.done) return controller.enqueue(chunk.value);
          const padding = padded(current.size) - current.size;
          current = undefined;
          if (padding > 0) return controller.enqueue(new Uint8Array(padding));
        }
        const entry = entries[index++];
        if (entry === undefined) {
          controller.enqueue(new Uint8Array(2 * BLOCK));
          return controller.close();
        }
        const header = entryHeader(entry);
        if (entry.kind === "directory" || entry.size === 0) return controller.enqueue(header);
        const bytes = await entryBytes(fs, entry);
        if (cancelled) return releaseBytes(bytes);
        if (bytes.kind === "stream") {
          controller.enqueue(header);
          current = { bytes, reader: bytes.stream.getReader(), size: entry.size };
        } else if (bytes.bytes.byteLength <= JOIN_MAX) {
          // Header, bytes and padding in one chunk: a tree of small files is mostly headers.
          const joined = new Uint8Array(header.byteLength + padded(entry.size));
          joined.set(header);
          joined.set(bytes.bytes, header.byteLength);
          controller.enqueue(joined);
        } else {
          controller.enqueue(header);
          controller.enqueue(bytes.bytes);
          const padding = padded(entry.size) - entry.size;
          if (padding > 0) controller.enqueue(new Uint8Array(padding));
        }
      },
      cancel(reason) {
        cancelled = true;
        releaseBytes(current?.bytes, reason);
        current = undefined;
      },
    },
    { highWaterMark: 0 },
  );
}

/** `size` rounded up to whole blocks. */
function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/**
 * The header blocks of `entry`: its ustar header, preceded by a pax extended header when a value
 * does not fit (see the module notes).
 */
export function entryHeader(entry: ArchiveEntry): Uint8Array {
  const directory = entry.kind === "directory";
  const name = nameBytes(directory ? `${entry.name}/` : entry.name);
  const records: (readonly [string, Uint8Array | string])[] = [];
  // A name that is not UTF-8 has no UTF-8 form for pax to carry: its bytes go in the ustar field
  // when they fit, as GNU tar writes them and every reader takes them.
  let fields: { name: Uint8Array; prefix: Uint8Array } | undefined =
    portable(name) || hasRawBytes(entry.name) ? splitName(name) : undefined;
  if (fields === undefined) {
    records.push(["path", name]);
    fields = { name: standIn(name), prefix: new Uint8Array(0) };
  }
  let size = entry.size;
  if (size >= OCTAL_11) {
    records.push(["size", String(size)]);
    size = 0;
  }
  let mtime = Math.floor(entry.mtimeMs / 1000);
  if (!Number.isFinite(mtime)) mtime = 0;
  if (mtime < 0 || mtime >= OCTAL_11) {
    records.push(["mtime", String(mtime)]);
    mtime = mtime < 0 ? 0 : OCTAL_11 - 1;
  }
  const header = ustar({ ...fields, mode: directory ? 0o755 : 0o644, size, mtime, type: directory ? "5" : "0" });
  if (records.length === 0) return header;
  const data = paxRecords(records);
  const paxName = concatBytes(encoder.encode("PaxHeaders/"), fields.name).subarray(0, 100);
  const pax = ustar({ name: paxName, prefix: new Uint8Array(0), mode: 0o644, size: data.byteLength, mtime, type: "x" });
  const blocks = new Uint8Array(BLOCK + padded(data.byteLength) + BLOCK);
  blocks.set(pax);
  blocks.set(data, BLOCK);
  blocks.set(header, BLOCK + padded(data.byteLength));
  return blocks;
}

interface UstarFields {
  name: Uint8Array;
  prefix: Uint8Array;
  mode: number;
  size: number;
  mtime: number;
  type: "0" | "5" | "x";
}

/** One ustar header block; uid and gid 0, no user or group names (the files are the server's). */
function ustar({ name, prefix, mode, size, mtime, type }: UstarFields): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block.set(name, 0);
  octal(block, 100, 8, mode);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, mtime);
  block.set(encoder.encode(type), 156);
  block.set(encoder.encode("ustar\u000000"), 257); // magic "ustar" NUL, version "00"
  block.set(prefix, 345);
  // The checksum: the sum of the header's bytes with its own field as eight spaces, written as
  // six octal digits, NUL, space.
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  octal(block, 148, 7, sum);
  return block;
}

/** `value` as zero-padded octal filling `length - 1` bytes of `block` at `offset`, then NUL. */
function octal(block: Uint8Array, offset: number, length: number, value: number): void {
  block.set(encoder.encode(value.toString(8).padStart(length - 1, "0")), offset);
  block[offset + length - 1] = 0;
}

/** Whether every byte is printable ASCII, as ustar name fields expect. */
function portable(name: Uint8Array): boolean {
  return name.every((byte) => byte >= 0x20 && byte < 0x7f);
}

/** The ustar name and prefix of `name`, split at a `/`, or undefined when it cannot fit. */
function splitName(name: Uint8Array): { name: Uint8Array; prefix: Uint8Array } | undefined {
  if (name.byteLength <= 100) return { name, prefix: new Uint8Array(0) };
  // The rightmost `/` that leaves at most 155 bytes before it; a directory's own trailing `/` is
  // part of its name, so the search starts before it.
  for (let at = Math.min(155, name.byteLength - 2); at > 0; at--) {
    if (name[at] !== 0x2f) continue;
    if (name.byteLength - at - 1 > 100) return undefined;
    return { name: name.subarray(at + 1), prefix: name.subarray(0, at) };
  }
  return undefined;
}

/** An ASCII stand-in for a name in a pax record, for readers that ignore pax: its first 100 bytes. */
function standIn(name: Uint8Array): Uint8Array {
  return name.subarray(0, 100).map((byte) => (byte >= 0x20 && byte < 0x7f ? byte : 0x5f));
}

/** pax records, each `"<length> <key>=<value>\n"`, its length counting its own digits. */
function paxRecords(records: readonly (readonly [string, Uint8Array | string])[]): Uint8Array {
  const parts = records.map(([key, value]) => {
    const body = concatBytes(
      encoder.encode(` ${key}=`),
      typeof value === "string" ? encoder.encode(value) : value,
      Uint8Array.of(0x0a),
    );
    let length = body.byteLength + String(body.byteLength).length;
    // One more digit when counting the digits carries over: a 98-byte body is "101 …", not "100 …".
    if (String(length).length !== String(body.byteLength).length) length++;
    return concatBytes(encoder.encode(String(length)), body);
  });
  return concatBytes(...parts);
}
