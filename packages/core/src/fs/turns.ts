/**
 * Long synchronous loops cut into turns of the event loop.
 *
 * An adapter lists a folder with one synchronous stat per entry (a thread-pool round trip costs
 * more than the call), which for a folder of 100,000 entries would hold the event loop for as
 * long as all of them take. Between batches other requests get their turn.
 *
 * The turn is waited for with `setImmediate`, which Node, Bun and Deno all have: it runs once the
 * loop has polled for I/O, so other requests are read and answered first, and it adds no delay of
 * its own. A zero-delay timer, the one way every runtime has, is held to at least a millisecond
 * (Node and Bun 1.1 ms, Deno 2.1 ms, measured on 2026-12-06): a 100,000-entry listing waited
 * 100 turns for it, 110 ms of its 615 on Node (docs/performance.md, "At scale").
 *
 * @module
 */

// A few milliseconds of lstat calls on a local disk (measured:
// docs/performance.md#measurements-behind-design-choices): a huge listing holds the event loop for
// that long at a time, not for all of its stats.
const PER_TURN = 1000;

/**
 * Calls `each` on every item of `items`, in order, letting the event loop turn after every
 * `perTurn` of them. Resolves once all are done; an error from `each` or from iterating rejects.
 *
 * @example
 * ```ts
 * const rows: DirEntry[] = [];
 * await eachInTurns(readdirSync(dir), (name) => rows.push({ name, stat: statOf(name) }));
 * ```
 */
export async function eachInTurns<T>(items: Iterable<T>, each: (item: T) => void, perTurn = PER_TURN): Promise<void> {
  let done = 0;
  for (const item of items) {
    if (done > 0 && done % perTurn === 0) await nextTurn();
    each(item);
    done++;
  }
}

type Immediate = (callback: () => void) => unknown;

/** Resolves on the loop's next turn, after its poll for I/O: see the module's comment. */
function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
