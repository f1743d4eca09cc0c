/**
 * The folder the browser tests browse, on disk, served in-process by `@simplehttp/node`: files
 * whose sizes and times all differ (so every order is unambiguous), names that sort naturally
 * (`File1`, `file2`, `file10`), spaces and non-ASCII names, folders to walk down, and real images
 * the gallery can decode.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { serve } from "../../packages/node/src/index.js";

const DAY = 86_400_000;
/** Whole minutes: the page shows times to the minute, so tests can compare them exactly. */
export const T0 = Date.UTC(2026, 0, 2, 3, 4);

/** A file at the root of the fixture. */
export interface FixtureFile {
  name: string;
  bytes: Uint8Array;
  mtime: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real RGB PNG (PNG spec §11), so the browser decodes it and reports its natural size. */
export function png(
  width: number,
  height: number,
  colour: (x: number, y: number) => [number, number, number],
): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(colour(x, y), y * (1 + width * 3) + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", new Uint8Array()),
  ]);
}

const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">' +
  '<circle cx="20" cy="20" r="17" fill="#2b8a3e"/>' +
  '<path d="M12 21l6 6 11-13" fill="none" stroke="#fff" stroke-width="4"/></svg>';

/** The folders, deepest last; each holds the next. */
export const NESTED = ["nested café", "sub folder"] as const;
/** A second folder at the root, so "folders first" has more than one folder to keep first. */
export const OTHER_FOLDER = "Archive 2025";

/**
 * The README of OTHER_FOLDER: what a README usually holds (a table, code, a list, a relative link
 * and image), and what a hostile one tries (each attempt would set `window.__pwned`).
 */
export const README = `# About these files

Kept for **2025**, see [the notes](../notes%20and%20ideas.md).

## What is here

> Quoted from the notes of the year.

### The count

| Year | Kind | Files |
| ---- | :--: | ----: |
| 2025 | misc | 12 |

- [x] sorted
- [ ] checked

\`\`\`sh
simplehttp --archive
\`\`\`

![A chart](../chart.png)

![a tracker](javascript:window.__pwned='image')

<script>window.__pwned = "script";</script>
<img src="x" onerror="window.__pwned = 'img'">
<iframe src="javascript:parent.__pwned = 'iframe'"></iframe>
<svg onload="window.__pwned = 'svg'"></svg>
<a href="javascript:window.__pwned = 'raw link'">a raw link</a>

[a markdown link](javascript:window.__pwned='markdown%20link') and [another](JAVASCRIPT:window.__pwned='upper')
`;

/** A name with no space to break at: the page must still fit a 320 px phone. */
export const LONG_NAME = "a-rather-long-file-name-without-any-spaces-that-has-to-wrap-on-a-phone.txt";

/** The root's files: every size and every time distinct. */
export const ROOT_FILES: readonly FixtureFile[] = [
  file("File1.txt", 1, 5),
  file("file2.txt", 2000, 1),
  file("file10.txt", 10, 3),
  file("notes and ideas.md", 420, 2),
  file("naïve café.txt", 77, 7),
  file("日本語のメモ.txt", 333, 8),
  file("report.pdf", 150_000, 9),
  file("backup.zip", 1_234_567, 10),
  file("song.mp3", 48_000, 11),
  file("app.ts", 640, 12),
  file(LONG_NAME, 12, 13),
  { name: "chart.png", bytes: png(64, 40, (x, y) => [40 + x * 3, 90 + y * 3, 200]), mtime: T0 + 4 * DAY },
  {
    name: "photo two.png",
    bytes: png(48, 48, (x, y) => (((x >> 3) + (y >> 3)) % 2 === 0 ? [230, 120, 40] : [250, 220, 120])),
    mtime: T0 + 6 * DAY,
  },
  { name: "logo.svg", bytes: new TextEncoder().encode(LOGO_SVG), mtime: T0 + 14 * DAY },
];

/** The images the gallery shows as thumbnails, with the width each decodes to. */
export const IMAGES: Readonly<Record<string, number>> = { "chart.png": 64, "photo two.png": 48, "logo.svg": 40 };

/** How many entries the root lists: its files and its two folders. */
export const ROOT_ENTRY_COUNT = ROOT_FILES.length + 2;

function file(name: string, size: number, days: number): FixtureFile {
  return { name, bytes: new Uint8Array(size).fill(0x61), mtime: T0 + days * DAY };
}

if (new Set(ROOT_FILES.map((entry) => entry.bytes.length)).size !== ROOT_FILES.length)
  throw new Error("fixture sizes must differ, or the size order is ambiguous");

/** The fixture, served. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>/`, or `https://…` over TLS. */
  url: string;
  close(): Promise<void>;
}

/**
 * Writes the fixture to a temporary folder and serves it on 127.0.0.1, on a port the system picks;
 * over HTTPS (HTTP/2 for a browser) with `tls`.
 */
export async function serveFixture({ tls }: { tls?: { cert: string; key: string } } = {}): Promise<FixtureServer> {
  const root = mkdtempSync(join(tmpdir(), "simplehttp-browser-"));
  const seconds = (ms: number): number => ms / 1000;
  for (const { name, bytes, mtime } of ROOT_FILES) {
    writeFileSync(join(root, name), bytes);
    utimesSync(join(root, name), seconds(mtime), seconds(mtime));
  }
  const deepest = join(root, ...NESTED);
  mkdirSync(deepest, { recursive: true });
  mkdirSync(join(root, OTHER_FOLDER));
  writeFileSync(join(root, NESTED[0], "inside.txt"), "inside\n");
  writeFileSync(join(deepest, "leaf.txt"), "leaf\n");
  writeFileSync(join(root, OTHER_FOLDER, "README.md"), README);
  // Folders last: writing into a folder moves its time.
  for (const [path, days] of [
    [deepest, 15],
    [join(root, NESTED[0]), 16],
    [join(root, OTHER_FOLDER), 17],
  ] as const) {
    utimesSync(path, seconds(T0 + days * DAY), seconds(T0 + days * DAY));
  }
  try {
    const server = await serve({ root, port: 0, hostname: "127.0.0.1", tls });
    return {
      url: server.url,
      close: async () => {
        await server.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
