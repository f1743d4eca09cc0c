/// <reference types="deno" />
/**
 * Calls denoFileSystem's read() and readDir() directly, without the handler's stat() in front, so
 * a test sees what read() refuses on its own (what a symlink swapped after stat() would meet).
 * Run by Deno: `deno run fs-probe.ts <root> <module> <contain|follow> <path>...`; prints one JSON
 * line: each path's first 6 bytes or error code and time, the root's listing, and the process's
 * open descriptors before and after.
 */
import type { FileSystem } from "@simplehttp/core";

interface Adapter {
  denoFileSystem(root: string, options?: { followSymlinks?: boolean }): FileSystem;
}

const [root = ".", module = "../src/index.ts", mode = "contain", ...paths] = Deno.args;
const { denoFileSystem }: Adapter = await import(new URL(module, import.meta.url).href);
const fs = denoFileSystem(root, { followSymlinks: mode === "follow" });
const openDescriptors = (): number => {
  try {
    return [...Deno.readDirSync("/proc/self/fd")].length;
  } catch {
    return -1; // no /proc here
  }
};

const before = openDescriptors();
const reads: { path: string; text?: string; code?: string; ms: number }[] = [];
for (const path of paths) {
  const started = performance.now();
  try {
    const body = await fs.read(path, { start: 0, end: 5 }); // 6 bytes: one buffer, no stream
    const init = body instanceof Uint8Array || body instanceof Blob || body instanceof ReadableStream ? body : body.stream();
    const bytes = init instanceof Uint8Array ? init : new Uint8Array(await new Response(init).arrayBuffer());
    reads.push({ path, text: new TextDecoder().decode(bytes), ms: performance.now() - started });
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : String(error);
    reads.push({ path, code, ms: performance.now() - started });
  }
}
const listing = (await fs.readDir("")).map((entry) => `${entry.name}${entry.stat?.kind === "directory" ? "/" : ""}`).sort();
console.log(JSON.stringify({ reads, listing, before, after: openDescriptors() }));
