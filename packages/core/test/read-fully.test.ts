import { describe, expect, it } from "vitest";
import { type ReadAt, readFully } from "../src/index.js";

/** A positional read over `file` that hands out at most `step` bytes per call. */
const reader =
  (file: Uint8Array, step: number): ReadAt =>
  (bytes, offset, length, position) => {
    const chunk = file.subarray(position, position + Math.min(length, step));
    bytes.set(chunk, offset);
    return chunk.length;
  };

describe("readFully", () => {
  const file = Uint8Array.from({ length: 100 }, (_, i) => i);

  it("fills the buffer from the position across short reads", () => {
    expect(Array.from(readFully(new Uint8Array(30), 50, reader(file, 7)))).toEqual(Array.from(file.subarray(50, 80)));
  });

  it("throws EAGAIN when the file ends before the buffer is full (it shrank since its stat)", () => {
    expect(() => readFully(new Uint8Array(30), 90, reader(file, 64))).toThrow(
      expect.objectContaining({ code: "EAGAIN" }),
    );
  });
});
