/**
 * Folders made for one browser test file, beside the shared fixture (fixture.ts): a tree written
 * to a temporary folder and served by `@simplehttp/node` with the options the test needs (caps on
 * archives, a large folder), so the shared fixture keeps the entries other tests count.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ServeOptions } from "@simplehttp/core";
import { serve } from "../../packages/node/src/index.js";

/** A file to write: its path under the root (`/`-separated), its bytes, its modification time. */
export interface TreeFile {
  path: string;
  bytes: Uint8Array | string;
  mtime?: number;
}

/** A tree, served. */
export interface ServedFolder {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** The folder on disk. */
  root: string;
  close(): Promise<void>;
}

/** Writes `files` into a new temporary folder; returns its path. */
export function writeTree(files: Iterable<TreeFile>): string {
  const root = mkdtempSync(join(tmpdir(), "simplehttp-browser-"));
  for (const { path, bytes, mtime } of files) {
    const target = join(root, ...path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    if (mtime !== undefined) utimesSync(target, mtime / 1000, mtime / 1000);
  }
  return root;
}

/** Serves the folder `root` on 127.0.0.1 with `options`; closing it also removes the folder. */
export async function serveTree(root: string, options: Omit<ServeOptions, "root"> = {}): Promise<ServedFolder> {
  try {
    const server = await serve({ ...options, root, port: 0, hostname: "127.0.0.1" });
    return {
      url: server.url,
      root,
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
