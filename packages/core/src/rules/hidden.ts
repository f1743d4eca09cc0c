/**
 * The served tree without the site's rule files: they configure the site, and are never served,
 * listed, archived nor written through the server while it follows them, as on the platform.
 *
 * @module
 */
import type { FileSystem } from "../fs/file-system.js";
import type { FileWrites, PartialWrites } from "../fs/writes.js";
import { HEADERS_FILE, REDIRECTS_FILE } from "./lines.js";

const isRuleFile = (path: string): boolean => path === REDIRECTS_FILE || path === HEADERS_FILE;

/**
 * `fs` without the rule files: absent to stat, open and the root's listing, and refused to every
 * write (403): a client allowed to upload files could otherwise redirect every path of the site,
 * or set its headers, with one new file.
 *
 * @param fs the served filesystem
 * @returns the same filesystem, `_redirects` and `_headers` at its root out of reach
 * @example
 * ```ts
 * const served = withoutRuleFiles(nodeFileSystem("./public"));
 * await served.stat("_redirects"); // null
 * ```
 */
export function withoutRuleFiles(fs: FileSystem): FileSystem {
  const open = fs.open?.bind(fs);
  const hiding: FileSystem = {
    stat: (path) => (isRuleFile(path) ? Promise.resolve(null) : fs.stat(path)),
    read: (path, range, stat) => fs.read(path, range, stat),
    readDir: async (path) => {
      const entries = await fs.readDir(path);
      return path === "" ? entries.filter((entry) => !isRuleFile(entry.name)) : entries;
    },
  };
  if (open !== undefined) {
    hiding.open = (path, hint, filesOnly) => (isRuleFile(path) ? Promise.resolve(null) : open(path, hint, filesOnly));
  }
  if (fs.writes !== undefined) hiding.writes = refusingRuleFiles(fs.writes);
  return hiding;
}

/** Throws EACCES (403) when a write would touch a rule file. */
function refuse(...paths: string[]): void {
  if (paths.some(isRuleFile)) {
    const message = "the site's _redirects and _headers are not written through the server (--no-site-rules)";
    throw Object.assign(new Error(message), { code: "EACCES" });
  }
}

function refusingRuleFiles(writes: FileWrites): FileWrites {
  const guarded: FileWrites = {
    put: async (path, body, options) => {
      refuse(path);
      return writes.put(path, body, options);
    },
    mkdir: async (path) => {
      refuse(path);
      return writes.mkdir(path);
    },
    remove: async (path) => {
      refuse(path);
      return writes.remove(path);
    },
    move: async (from, to, overwrite) => {
      refuse(from, to);
      return writes.move(from, to, overwrite);
    },
    copy: async (from, to, overwrite) => {
      refuse(from, to);
      return writes.copy(from, to, overwrite);
    },
  };
  const partial = writes.partial;
  if (partial !== undefined) guarded.partial = refusingPartial(partial);
  return guarded;
}

function refusingPartial(partial: PartialWrites): PartialWrites {
  return {
    begin: async (path, options) => {
      refuse(path);
      return partial.begin(path, options);
    },
    status: (path, id) => partial.status(path, id),
    append: (path, id, offset, body) => partial.append(path, id, offset, body),
    finish: async (path, id) => {
      refuse(path);
      return partial.finish(path, id);
    },
    abort: (path, id) => partial.abort(path, id),
  };
}
