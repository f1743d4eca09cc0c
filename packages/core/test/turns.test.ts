/**
 * Long loops cut into turns of the event loop (fs/turns.ts), as the disk adapters list a huge
 * folder: every item in order, other work between batches, and no timer's delay per turn.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { eachInTurns } from "../src/index.js";

afterEach(() => vi.restoreAllMocks());

describe("eachInTurns: a long loop cut into turns", () => {
  it("calls each item once, in order, and resolves when all are done", async () => {
    const seen: number[] = [];
    await eachInTurns([1, 2, 3, 4, 5], (item) => seen.push(item), 2);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it("lets work queued during a batch run before the next batch", async () => {
    const order: string[] = [];
    await eachInTurns(
      [1, 2, 3, 4],
      (item) => {
        order.push(`item ${item}`);
        if (item === 1) setImmediate(() => order.push("other work"));
      },
      2,
    );
    expect(order).toEqual(["item 1", "item 2", "other work", "item 3", "item 4"]);
  });

  it("waits for the next turn with setImmediate, never a timer, whose least delay is a millisecond", async () => {
    const immediate = vi.spyOn(globalThis, "setImmediate");
    const timer = vi.spyOn(globalThis, "setTimeout");
    await eachInTurns(
      Array.from({ length: 7 }, (_, i) => i),
      () => {},
      2,
    );
    expect(immediate).toHaveBeenCalledTimes(3);
    expect(timer).not.toHaveBeenCalled();
  });

  it("rejects with the error an item's call throws, and calls no item after it", async () => {
    const seen: number[] = [];
    const failing = eachInTurns(
      [1, 2, 3],
      (item) => {
        if (item === 2) throw new Error("cannot stat");
        seen.push(item);
      },
      1,
    );
    await expect(failing).rejects.toThrow("cannot stat");
    expect(seen).toEqual([1]);
  });
});
