/**
 * Files an adapter opened in `stat()` and holds for the `read()` that usually follows.
 *
 * An adapter that must prove a file lies inside the root can do it once, on an open descriptor
 * (open, fstat, where the kernel says it is), and keep that descriptor for the read: one open
 * instead of two, no realpath, and the bytes sent are those of the file whose size and
 * validators went out. Each is held under the very `FileStat` object its stat() answered, which
 * the handler hands back to read() (FileSystem.read's `stat`): requests for one path at once each
 * read the file their own stat described, never another's (keyed by path, the second request's
 * open would replace the first's, and the first could send a newer file's bytes under the older
 * file's validators). The handler's stat and read run within one turn of the event loop, so
 * whatever no read took by then (a HEAD, a 304, a 412) is closed by a zero-delay timer: a
 * descriptor outlives its request by a millisecond at most, and a later read opens afresh.
 *
 * @module
 */
import type { FileStat } from "./file-system.js";

/** Descriptors kept by the stat their stat() answered, for the read of that stat's file. */
export interface HeldFiles<Handle> {
  /** Holds `handle` for a read of the file `stat` describes. */
  keep(stat: FileStat, handle: Handle): void;
  /** The handle held for `stat`, now the caller's to close; undefined when none is (or no stat is given). */
  take(stat: FileStat | undefined): Handle | undefined;
}

/**
 * Holds what `stat()` opened until the `read()` of the same request takes it.
 *
 * @example
 * ```ts
 * const held = heldFiles<number>((fd) => closeSync(fd));
 * const stat = { kind: "file", size, mtimeMs };
 * held.keep(stat, fd);                                      // in stat(), which answers `stat`
 * const fd2 = held.take(given) ?? openSync("/srv/www/a.txt"); // in read(path, range, given)
 * ```
 */
export function heldFiles<Handle>(close: (handle: Handle) => void): HeldFiles<Handle> {
  const held = new Map<FileStat, Handle>();
  let sweeping = false;
  const sweep = (): void => {
    sweeping = false;
    for (const handle of held.values()) close(handle);
    held.clear();
  };
  return {
    keep(stat, handle) {
      held.set(stat, handle);
      if (!sweeping) {
        sweeping = true;
        setTimeout(sweep, 0);
      }
    },
    take(stat) {
      if (stat === undefined) return undefined;
      const handle = held.get(stat);
      held.delete(stat);
      return handle;
    },
  };
}
