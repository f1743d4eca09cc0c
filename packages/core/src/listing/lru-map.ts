/**
 * A map capped in size that drops what was used least recently: for what a handler keeps between
 * requests (a listing made, a README rendered, a handler per mount point), so that the memory it
 * holds stays bounded however many different requests come.
 *
 * @module
 */

/** A size-capped map; see {@link lruMap}. */
export interface LruMap<K, V> {
  /** The value of `key`, now the most recently used; `undefined` when not held. */
  get(key: K): V | undefined;
  /** Holds `value` for `key` as the most recently used, dropping the least recently used if full. */
  set(key: K, value: V): void;
}

/**
 * A map of at most `capacity` entries. A `Map` iterates in insertion order, so an entry used is
 * moved last, and the first one is the least recently used.
 *
 * @example
 * ```ts
 * const pages = lruMap<string, Uint8Array>(32);
 * pages.set("docs/", bytes);
 * pages.get("docs/"); // bytes
 * ```
 */
export function lruMap<K, V>(capacity: number): LruMap<K, V> {
  const map = new Map<K, V>();
  return {
    get(key) {
      const value = map.get(key);
      if (value !== undefined) {
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key, value) {
      map.delete(key);
      if (map.size >= capacity) {
        const oldest = map.keys().next();
        if (!oldest.done) map.delete(oldest.value);
      }
      map.set(key, value);
    },
  };
}
