import { describe, expect, it } from "vitest";
import { type FileStat, heldFiles } from "../src/index.js";

describe("heldFiles", () => {
  const tracked = () => {
    const closed: string[] = [];
    return { closed, held: heldFiles<string>((handle) => closed.push(handle)) };
  };
  const statOf = (size: number): FileStat => ({ kind: "file", size, mtimeMs: 0 });

  it("hands a kept handle to the take() of its own stat, once", () => {
    const { closed, held } = tracked();
    const a = statOf(1);
    held.keep(a, "fd-a");
    expect(held.take(statOf(1))).toBeUndefined(); // an equal stat is not the one stat() answered
    expect(held.take(undefined)).toBeUndefined();
    expect(held.take(a)).toBe("fd-a");
    expect(held.take(a)).toBeUndefined();
    expect(closed).toEqual([]);
  });

  it("gives each of two requests for one path the file its own stat described", () => {
    // Two stats of one path in one turn, the file replaced in between: each read gets its own.
    const { closed, held } = tracked();
    const older = statOf(1);
    const newer = statOf(2);
    held.keep(older, "older");
    held.keep(newer, "newer");
    expect(held.take(older)).toBe("older");
    expect(held.take(newer)).toBe("newer");
    expect(closed).toEqual([]);
  });

  it("closes what no take() claimed once the event loop turns, and nothing that was taken", async () => {
    const { closed, held } = tracked();
    const [a, b, c] = [statOf(1), statOf(2), statOf(3)];
    held.keep(a, "taken");
    held.keep(b, "left");
    expect(held.take(a)).toBe("taken");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toEqual(["left"]);
    expect(held.take(b)).toBeUndefined();
    // A later keep() schedules its own sweep.
    held.keep(c, "later");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toEqual(["left", "later"]);
  });
});
