/**
 * Folders as archives (archive.ts) over the in-memory filesystem: what goes in, checked by
 * unpacking with Python's zipfile and tarfile; the headers; the caps.
 */
import { execFileSync } from "node:child_process";
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ARCHIVE_TOO_LARGE,
  type ArchiveFormat,
  type ArchiveRequest,
  archiveLimits,
  archiveReply,
  DEFAULT_ARCHIVE_LIMITS,
  downloadOf,
} from "../src/archive/archive.js";
import { contentDisposition } from "../src/archive/headers.js";
import { entryHeader, tarLength } from "../src/archive/tar.js";
import { isVisible } from "../src/fs/resolve.js";
import { type FileSystem, type MemoryFile, memoryFileSystem, nameBytes, toResponse } from "../src/index.js";

const PYTHON = "/usr/bin/python3"; // the system's, never one found on the PATH
const MTIME = Date.UTC(2026, 0, 2, 3, 4, 6);
const BINARY = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
const LONG = `long/${"a".repeat(120)}/${"b".repeat(150)}.txt`; // past ustar's 100 + 155 bytes
const SPLIT = `split/${"c".repeat(96)}.txt`; // 106 bytes: ustar's prefix "split" and a 100-byte name
const FILES: Record<string, MemoryFile> = {
  "readme.txt": "hello\n",
  "empty.txt": "",
  "empty dir/": "",
  "nested/deeper/data.bin": BINARY,
  "nested/ünïcødé ✓.txt": "unicode\n",
  "nested/with space.txt": "space\n",
  "nested/.git/config": "hidden",
  ".env": "SECRET=1",
  ".well-known/security.txt": "Contact: mailto:a@example.com\n",
  "raw\uDCFFbyte.txt": "not UTF-8\n",
  [LONG]: "long\n",
  "old.txt": { content: "1970\n", mtime: 0 },
  [SPLIT]: "split\n",
};
const fs = memoryFileSystem(FILES, { mtime: MTIME });
// The archive of the root, in order: a directory before its contents, names sorted (UTF-16).
const ROOT_ENTRIES = [
  ".well-known/",
  ".well-known/security.txt",
  "empty dir/",
  "empty.txt",
  "long/",
  `long/${"a".repeat(120)}/`,
  LONG,
  "nested/",
  "nested/deeper/",
  "nested/deeper/data.bin",
  "nested/with space.txt",
  "nested/ünïcødé ✓.txt",
  "old.txt",
  "raw\uDCFFbyte.txt",
  "readme.txt",
  "split/",
  SPLIT,
];

const tmp = mkdtempSync(join(tmpdir(), "simplehttp-archive-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function request(format: ArchiveFormat, overrides: Partial<ArchiveRequest> = {}): ArchiveRequest {
  return {
    fs,
    path: "",
    name: "root",
    format,
    visible: (name, atRoot) => isVisible(name, atRoot, "ignore"),
    limits: { ...DEFAULT_ARCHIVE_LIMITS },
    head: false,
    headers: new Headers({ server: "simplehttp" }),
    ...overrides,
  };
}

async function download(
  format: ArchiveFormat,
  overrides: Partial<ArchiveRequest> = {},
): Promise<{ response: Response; bytes: Uint8Array }> {
  const response = toResponse(await archiveReply(request(format, overrides)));
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

interface Unpacked {
  /** The name's bytes, in hex. */
  name: string;
  directory: boolean;
  size: number;
  /** The bytes, in base64 (null for a directory). */
  data: string | null;
  /** zip: the DOS date and time; tar: seconds. */
  time: number[] | number;
  mode: number;
  /** zip: general purpose bit 11 (UTF-8); tar: the pax keywords. */
  utf8?: boolean;
  pax?: string[];
}

const UNZIP = `
import base64, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps([{"name": i.filename.encode("utf-8" if i.flag_bits & 0x800 else "cp437").hex(),
        "directory": i.is_dir(), "size": i.file_size,
        "data": None if i.is_dir() else base64.b64encode(z.read(i)).decode(), "time": list(i.date_time),
        "mode": i.external_attr >> 16, "utf8": bool(i.flag_bits & 0x800)} for i in z.infolist()]))
`;
const UNTAR = `
import base64, json, sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    print(json.dumps([{"name": m.name.encode("utf-8", "surrogateescape").hex(), "directory": m.isdir(),
        "size": m.size, "data": base64.b64encode(t.extractfile(m).read()).decode() if m.isfile() else None,
        "time": m.mtime, "mode": m.mode, "pax": sorted(m.pax_headers)} for m in t.getmembers()]))
`;

/** Unpacks `bytes` with Python's zipfile or tarfile. */
function unpack(format: ArchiveFormat, bytes: Uint8Array): Unpacked[] {
  const path = join(tmp, `unpack.${format}`);
  writeFileSync(path, bytes);
  return JSON.parse(
    execFileSync(PYTHON, ["-c", format === "zip" ? UNZIP : UNTAR, path], { encoding: "utf8", timeout: 20_000 }),
  ) as Unpacked[];
}

const hex = (name: string) => Buffer.from(nameBytes(name)).toString("hex");
const contentOf = (name: string): string => {
  const file = FILES[name] ?? "";
  const content = typeof file === "string" || file instanceof Uint8Array ? file : file.content;
  return Buffer.from(content).toString("base64");
};
/** The DOS date and time (local, two-second steps) zip keeps for `ms`. */
const dosTime = (ms: number) => {
  const d = new Date(ms);
  return [
    d.getFullYear(),
    d.getMonth() + 1,
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds() - (d.getSeconds() % 2),
  ];
};

describe("the zip of a folder", () => {
  it("unpacks with Python's zipfile to every visible file and folder, recursively, byte for byte", async () => {
    const { response, bytes } = await download("zip");
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBe(bytes.byteLength);
    const unpacked = unpack("zip", bytes);
    // Dotfiles are left out (but the root's .well-known), empty files and folders are kept.
    expect(unpacked.map((entry) => entry.name)).toEqual(ROOT_ENTRIES.map(hex));
    for (const entry of unpacked) {
      const name = ROOT_ENTRIES.find((candidate) => hex(candidate) === entry.name) ?? "";
      expect(entry.directory).toBe(name.endsWith("/"));
      expect(entry.data).toBe(entry.directory ? null : contentOf(name));
      expect(entry.mode).toBe(entry.directory ? 0o40755 : 0o100644);
      // Bit 11 says UTF-8 for every name but the one that is not: its bytes go in as they are.
      expect(entry.utf8).toBe(!name.includes("\uDCFF"));
      // DOS dates start in 1980: earlier mtimes are clamped to its first second.
      expect(entry.time).toEqual(name === "old.txt" ? [1980, 1, 1, 0, 0, 0] : dosTime(MTIME));
    }
  });

  it("of a subfolder holds paths relative to it and is named after it", async () => {
    const { response, bytes } = await download("zip", { path: "nested", name: "nested" });
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="nested.zip"');
    expect(unpack("zip", bytes).map((entry) => entry.name)).toEqual(
      ["deeper/", "deeper/data.bin", "with space.txt", "ünïcødé ✓.txt"].map(hex),
    );
  });

  it("of an empty folder is an empty archive", async () => {
    const { bytes } = await download("zip", { path: "empty dir", name: "empty dir" });
    expect(unpack("zip", bytes)).toEqual([]);
  });

  it("answers HEAD with the GET's status and headers, without reading a file", async () => {
    const reads: string[] = [];
    const spy: FileSystem = {
      ...fs,
      read: (path, range) => {
        reads.push(path);
        return fs.read(path, range);
      },
    };
    const head = await archiveReply(request("zip", { fs: spy, head: true }));
    const { response } = await download("zip");
    expect(head.body).toBeNull();
    expect(reads).toEqual([]);
    expect([...head.headers]).toEqual([...response.headers]);
    expect([...head.headers]).toEqual([
      ["content-disposition", 'attachment; filename="root.zip"'],
      ["content-length", response.headers.get("content-length")],
      ["content-type", "application/zip"],
      ["server", "simplehttp"],
    ]);
  });
});

describe("the tar of a folder", () => {
  it("unpacks with Python's tarfile to every visible file and folder, recursively, byte for byte", async () => {
    const { response, bytes } = await download("tar");
    expect(response.headers.get("content-type")).toBe("application/x-tar");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="root.tar"');
    expect(Number(response.headers.get("content-length"))).toBe(bytes.byteLength);
    const unpacked = unpack("tar", bytes);
    // tarfile gives directory names without their trailing slash.
    expect(unpacked.map((entry) => entry.name)).toEqual(ROOT_ENTRIES.map((name) => hex(name.replace(/\/$/, ""))));
    for (const entry of unpacked) {
      const name = ROOT_ENTRIES.find((candidate) => hex(candidate.replace(/\/$/, "")) === entry.name) ?? "";
      expect(entry.data).toBe(entry.directory ? null : contentOf(name));
      expect(entry.mode).toBe(entry.directory ? 0o755 : 0o644);
      expect(entry.time).toBe(name === "old.txt" ? 0 : MTIME / 1000);
      // pax `path` for names ustar cannot hold: too long to split, or UTF-8 that is not ASCII.
      const needsPax = name.startsWith("long/a") || /[^\x00-\x7f]/.test(name.replace("\uDCFF", ""));
      expect(entry.pax).toEqual(needsPax ? ["path"] : []);
    }
  });

  it("says sizes of 8 GiB and more, and mtimes before 1970, in pax records", () => {
    const size = 8 * 1024 ** 3 + 3;
    const entry = { name: "huge.bin", path: "huge.bin", kind: "file", size, mtimeMs: -86_400_000 } as const;
    const header = entryHeader(entry);
    // Header, then the file's blocks (a hole), then the end: Python reads the header and seeks.
    const path = join(tmp, "huge.tar");
    const fd = openSync(path, "w");
    writeSync(fd, header);
    ftruncateSync(fd, tarLength([entry]));
    closeSync(fd);
    const [unpacked] = JSON.parse(
      execFileSync(
        PYTHON,
        [
          "-c",
          "import json, sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n" +
            "    print(json.dumps([[m.size, m.mtime, sorted(m.pax_headers)] for m in t]))",
          path,
        ],
        { encoding: "utf8" },
      ),
    ) as [number, number, string[]][];
    expect(unpacked).toEqual([size, -86_400, ["mtime", "size"]]);
  });
});

describe("the caps", () => {
  const excess = async (format: ArchiveFormat, limits: { maxEntries: number; maxBytes: number }, head = false) => {
    const reply = await archiveReply(request(format, { limits, head }));
    const page = reply.body instanceof Uint8Array ? new TextDecoder().decode(reply.body) : "";
    return { reply, page: page.replace(/\s+/g, " ") };
  };

  it("refuse a folder with more entries than maxEntries with 403 and a page saying so", async () => {
    const { reply, page } = await excess("zip", { maxEntries: 3, maxBytes: Infinity });
    expect(reply.status).toBe(ARCHIVE_TOO_LARGE);
    expect(ARCHIVE_TOO_LARGE).toBe(403);
    expect(reply.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(reply.headers.get("content-disposition")).toBeNull();
    expect(page).toContain("<h1>403 Forbidden</h1>");
    expect(page).toContain("It holds more than 3 files and folders; an archive may hold at most 3.");
  });

  it("refuse a folder whose files pass maxBytes, saying its size and the limit", async () => {
    const total = ROOT_ENTRIES.reduce((sum, name) => sum + Buffer.from(contentOf(name), "base64").byteLength, 0);
    const { reply, page } = await excess("tar", { maxEntries: 1000, maxBytes: 1024 });
    expect(reply.status).toBe(403);
    expect(page).toContain(
      `Its ${ROOT_ENTRIES.length} files and folders add up to ${(total / 1024).toFixed(1)} KiB ` +
        `(${total.toLocaleString("en-US")} bytes); an archive may hold at most 1.0 KiB (1,024 bytes).`,
    );
    expect(Number(reply.headers.get("content-length"))).toBe((reply.body as Uint8Array).byteLength);
  });

  it("answer HEAD over a cap with the same 403 and no body", async () => {
    const get = await excess("zip", { maxEntries: 3, maxBytes: Infinity });
    const { reply } = await excess("zip", { maxEntries: 3, maxBytes: Infinity }, true);
    expect(reply.status).toBe(403);
    expect(reply.body).toBeNull();
    expect(reply.headers.get("content-length")).toBe(get.reply.headers.get("content-length"));
  });

  it("hold a zip to 65,534 entries, which client-zip counts right without ZIP64; a tar has no such limit", async () => {
    const many = memoryFileSystem(Object.fromEntries(Array.from({ length: 65_535 }, (_, i) => [`f${i}`, ""])));
    const unlimited = { maxEntries: Infinity, maxBytes: Infinity };
    const zip = await archiveReply(request("zip", { fs: many, limits: unlimited, head: true }));
    const tar = await archiveReply(request("tar", { fs: many, limits: unlimited, head: true }));
    expect(zip.status).toBe(403);
    expect(tar.status).toBe(200);
  });

  it("default to 10,000 entries and 4 GiB, and are settled from the option", () => {
    expect(DEFAULT_ARCHIVE_LIMITS).toEqual({ maxEntries: 10_000, maxBytes: 4 * 1024 ** 3 });
    expect(archiveLimits(undefined)).toBeNull();
    expect(archiveLimits(false)).toBeNull();
    expect(archiveLimits(true)).toEqual(DEFAULT_ARCHIVE_LIMITS);
    expect(archiveLimits({ maxBytes: Infinity })).toEqual({ maxEntries: 10_000, maxBytes: Infinity });
    expect(() => archiveLimits({ maxEntries: -1 })).toThrow(TypeError);
    expect(() => archiveLimits({ maxBytes: 1.5 })).toThrow(TypeError);
  });
});

describe("the request and the download's name", () => {
  it("ask for zip or tar with ?download=; any other value is unknown", () => {
    expect(downloadOf("?download=zip")).toBe("zip");
    expect(downloadOf("?a=1&download=tar")).toBe("tar");
    expect(downloadOf("?download=rar")).toBe("unknown");
    expect(downloadOf("?download=")).toBe("unknown");
    expect(downloadOf("?download=ZIP")).toBe("unknown");
    expect(downloadOf("?sort=size")).toBeNull();
    expect(downloadOf("")).toBeNull();
  });

  it("is a plain filename when ASCII says it, with filename* (RFC 8187) when not", () => {
    expect(contentDisposition("docs.zip")).toBe('attachment; filename="docs.zip"');
    expect(contentDisposition("résumé ✓.zip")).toBe(
      `attachment; filename="r_sum_ _.zip"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%9C%93.zip`,
    );
    expect(contentDisposition('say "hi" \\o/.tar')).toBe(
      `attachment; filename="say \\"hi\\" \\\\o/.tar"; filename*=UTF-8''say%20%22hi%22%20%5Co%2F.tar`,
    );
    expect(contentDisposition("100%.zip")).toBe(`attachment; filename="100%.zip"; filename*=UTF-8''100%25.zip`);
  });

  it("survives names a header cannot carry: raw bytes and control characters", async () => {
    expect(contentDisposition("inv\uDCFFalid.zip")).toBe(
      `attachment; filename="inv_alid.zip"; filename*=UTF-8''inv%EF%BF%BDalid.zip`,
    );
    expect(contentDisposition("a\r\nb\u0000.zip")).toBe(
      `attachment; filename="a__b_.zip"; filename*=UTF-8''a%0D%0Ab%00.zip`,
    );
    const { response } = await download("zip", { path: "nested", name: "line\nbreak\uDCFF" });
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="line_break_.zip"; filename*=UTF-8''line%0Abreak%EF%BF%BD.zip`,
    );
  });
});
