/**
 * Joining bytes, for the few places the core builds a byte string from parts (names that are not
 * UTF-8, tar headers).
 *
 * @module
 */

/**
 * The parts, one after another, in a new array.
 *
 * @example
 * ```ts
 * concatBytes(Uint8Array.of(1), Uint8Array.of(2, 3)); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return joined;
}
