/**
 * Long synchronous loops cut into turns of the event loop.
 *
 * An adapter lists a folder with one synchronous stat per entry (a thread-pool round trip costs
 * more than the call), which for a folder of 100,000 entries would hold the event loop for as
 * long as all of them take. Between batches other requests get their turn. A zero-delay timer,
 * as held-files.ts uses, is the one way to wait for the next turn that every runtime has.
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
    if (done > 0 && done % perTurn === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    each(item);
    done++;
  }
}
