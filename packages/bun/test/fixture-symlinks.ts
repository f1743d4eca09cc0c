/**
 * Run by hardening.test.ts under Bun: `bun fixture-symlinks.ts <root>`, where `<root>` is the tree
 * hardening.test.ts builds (escaping links, an inside link, a dangling link, a loop, a FIFO, and a
 * link `flip` to `t.txt`). Calls the FileSystem directly, in both symlink modes, so `read()` and
 * `readDir()` are checked on their own and not only behind the handler's `stat()`; writes the
 * findings as one JSON line.
 */
import { renameSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type * as BunAdapter from "@simplehttp/bun";
import type { FileBody, FileSystem } from "@simplehttp/core";

// Bun runs the adapter from source. tsc checks this file against the built declarations instead,
// so the test program (Node's types) never takes in Bun's globals, which clash with Node's.
const { bunFileSystem } = (await import(new URL("../src/index.ts", import.meta.url).href)) as typeof BunAdapter;

const root = process.argv[2];
const secret = process.argv[3];
if (!root || !secret) throw new Error("usage: bun fixture-symlinks.ts <root> <secret file outside it>");

const codeOf = (error: unknown): unknown => (typeof error === "object" && error !== null && "code" in error ? error.code : String(error));

/** The body's text, or the code of the error `read()` rejected with. */
async function readOutcome(body: Promise<FileBody>): Promise<unknown> {
  try {
    const read = await body;
    if (read instanceof Blob) return await read.text();
    return read instanceof Uint8Array ? new TextDecoder().decode(read) : "a stream";
  } catch (error) {
    return codeOf(error);
  }
}

async function survey(fs: FileSystem): Promise<Record<string, unknown>> {
  const kind = async (path: string): Promise<string | null> => (await fs.stat(path))?.kind ?? null;
  // A small range is read from the checked descriptor; a large one is a Bun.file of the checked
  // path (a slice past the end is cut there). Both must agree: the first 5 bytes, or the same error.
  const small = (path: string): Promise<unknown> => readOutcome(fs.read(path, { start: 0, end: 4 }));
  const large = (path: string): Promise<unknown> => readOutcome(fs.read(path, { start: 0, end: 99_999 }));
  const read = async (path: string): Promise<unknown> => {
    const [bytes, blob] = [await small(path), await large(path)];
    const agree = bytes === blob || (typeof bytes === "string" && typeof blob === "string" && blob.startsWith(bytes));
    return agree ? blob : { bytes, blob };
  };
  const fifoStart = performance.now();
  const fifo = await read("fifo");
  const fifoMs = performance.now() - fifoStart;
  return {
    stat: Object.fromEntries(await Promise.all(["escape.txt", "escape-dir", "escape-dir/secret2.txt", "dir/up.txt", "inside-link.txt", "dir-link", "dangling", "loop-a", "fifo"].map(async (p) => [p, await kind(p)]))),
    read: {
      "escape.txt": await read("escape.txt"),
      "escape-dir/secret2.txt": await read("escape-dir/secret2.txt"),
      "dir/up.txt": await read("dir/up.txt"),
      "inside-link.txt": await read("inside-link.txt"),
      "dir-link/inner.txt": await read("dir-link/inner.txt"),
      dangling: await read("dangling"),
      "loop-a": await read("loop-a"),
      dir: await read("dir"),
      fifo,
    },
    fifoMs,
    rootListing: (await fs.readDir("")).map((entry) => entry.name).sort(),
    dirListing: (await fs.readDir("dir")).map((entry) => entry.name).sort(),
    escapeDirListing: await fs.readDir("escape-dir").then((entries) => entries.map((entry) => entry.name).sort(), codeOf),
  };
}

const contained = await survey(bunFileSystem(root));
const following = await survey(bunFileSystem(root, { followSymlinks: true }));

// The handler stats, then reads. A link swapped to point outside in between must not be read.
const fs = bunFileSystem(root);
const before = (await fs.stat("flip"))?.kind ?? null;
symlinkSync(secret, join(root, "flip.new"));
renameSync(join(root, "flip.new"), join(root, "flip"));
const read = await readOutcome(fs.read("flip", { start: 0, end: 4 }));
const readLarge = await readOutcome(fs.read("flip", { start: 0, end: 99_999 }));
await new Promise((resolve) => setTimeout(resolve, 5)); // what stat() held is closed by now
const later = await readOutcome(fs.read("flip", { start: 0, end: 4 }));
const swapped = { before, read, readLarge, later };

process.stdout.write(`${JSON.stringify({ contained, following, swapped })}\n`);
