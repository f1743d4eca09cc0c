import { describe, expect, it } from "vitest";
import { heldFiles } from "../src/index.js";

describe("heldFiles", () => {
  const tracked = () => {
    const closed: string[] = [];
    return { closed, held: heldFiles<string>((handle) => closed.push(handle)) };
  };

  it("hands a kept handle to the next take() of its path, once", () => {
    const { closed, held } = tracked();
    held.keep("/a", "fd-a");
    expect(held.take("/b")).toBeUndefined();
    expect(held.take("/a")).toBe("fd-a");
    expect(held.take("/a")).toBeUndefined();
    expect(closed).toEqual([]);
  });

  it("closes the handle a second keep() of the same path replaces", () => {
    const { closed, held } = tracked();
    held.keep("/a", "first");
    held.keep("/a", "second");
    expect(closed).toEqual(["first"]);
    expect(held.take("/a")).toBe("second");
  });

  it("closes what no take() claimed once the event loop turns, and nothing that was taken", async () => {
    const { closed, held } = tracked();
    held.keep("/a", "taken");
    held.keep("/b", "left");
    expect(held.take("/a")).toBe("taken");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toEqual(["left"]);
    expect(held.take("/b")).toBeUndefined();
    // A later keep() schedules its own sweep.
    held.keep("/c", "later");
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(closed).toEqual(["left", "later"]);
  });
});
