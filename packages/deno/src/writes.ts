/**
 * Deno's writes (core's FileWrites), as denoFileSystem gives them with `writable`: put (write.ts),
 * mkdir, remove, move and copy (tree.ts), resumable uploads (partial.ts), each path placed inside
 * the root (places.ts), by the rules of docs/writes.md and of @simplehttp/disk, whose modules say
 * why each step is there.
 *
 * @module
 */
import { type FileWrites, type PartialWrites, type PartialWritesOptions, partialWrites } from "@simplehttp/core";
import type { Containment } from "./containment.ts";
import { errorWithCode } from "./errors.ts";
import { denoPartialFiles } from "./partial.ts";
import { rootPaths } from "./paths.ts";
import { places } from "./places.ts";
import { treeWrites } from "./tree.ts";
import { putter } from "./write.ts";

/**
 * The writes under `root`.
 *
 * @param root the folder written into (resolved against the current directory)
 * @param inside the root's containment, or null when every symlink is followed
 * @param partialOptions the clock and idle time of resumable uploads (core's partialWrites)
 * @example
 * ```ts
 * const writes = denoWrites("/srv/www", containment("/srv/www"));
 * await writes.mkdir("docs");
 * ```
 */
export function denoWrites(
  root: string,
  inside: Containment | null,
  partialOptions?: PartialWritesOptions,
): FileWrites {
  const placeOf = places(rootPaths(root), inside);
  const { mkdir, remove, move, copy } = treeWrites(placeOf, inside);
  const put = putter(placeOf, inside);
  // Every failure with a POSIX code, Deno's permission refusals included (errors.ts).
  const coded =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      write(...args).catch((error: unknown) => Promise.reject(errorWithCode(error)));
  const partial = partialWrites(denoPartialFiles(placeOf, inside), partialOptions);
  const resumable: PartialWrites = {
    begin: coded(partial.begin.bind(partial)),
    status: coded(partial.status.bind(partial)),
    append: coded(partial.append.bind(partial)),
    finish: coded(partial.finish.bind(partial)),
    abort: coded(partial.abort.bind(partial)),
  };
  return {
    put: coded(put),
    mkdir: coded(mkdir),
    remove: coded(remove),
    move: coded(move),
    copy: coded(copy),
    partial: resumable,
  };
}
