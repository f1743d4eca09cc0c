/**
 * Files an adapter opened in `stat()` and holds for the `read()` that usually follows.
 *
 * An adapter that must prove a file lies inside the root can do it once, on an open descriptor
 * (open, fstat, where the kernel says it is), and keep that descriptor for the read: one open
 * instead of two, no realpath, and the bytes sent are those of the file whose size and
 * validators went out. The handler's stat and read run within one turn of the event loop, so
 * whatever no read took by then (a HEAD, a 304, a 412) is closed by a zero-delay timer: a
 * descriptor outlives its request by a millisecond at most, and a later read opens afresh.
 *
 * @module
 */

/** Descriptors kept by path, for the next read of that path. */
export interface HeldFiles<Handle> {
  /** Holds `handle` for a read of `path` (closing one already held for it). */
  keep(path: string, handle: Handle): void;
  /** The handle held for `path`, now the caller's to close; undefined when none is. */
  take(path: string): Handle | undefined;
}

/**
 * Holds what `stat()` opened until the `read()` of the same request takes it.
 *
 * @example
 * ```ts
 * const held = heldFiles<number>((fd) => closeSync(fd));
 * held.keep("/srv/www/a.txt", fd);            // in stat()
 * const fd2 = held.take("/srv/www/a.txt") ?? openSync("/srv/www/a.txt"); // in read()
 * ```
 */
export function heldFiles<Handle>(close: (handle: Handle) => void): HeldFiles<Handle> {
  const held = new Map<string, Handle>();
  let sweeping = false;
  const sweep = (): void => {
    sweeping = false;
    for (const handle of held.values()) close(handle);
    held.clear();
  };
  return {
    keep(path, handle) {
      const earlier = held.get(path);
      if (earlier !== undefined) close(earlier);
      held.set(path, handle);
      if (!sweeping) {
        sweeping = true;
        setTimeout(sweep, 0);
      }
    },
    take(path) {
      const handle = held.get(path);
      held.delete(path);
      return handle;
    },
  };
}
