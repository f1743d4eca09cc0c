/**
 * The few DER encodings (ITU-T X.690, the distinguished rules) that a certificate is made of: a
 * certificate is nested tag-length-value triples around a public key and a signature (RFC 5280
 * §4.1), and these are all that self-signed.ts writes. Bytes only, on web APIs: the same on Node,
 * Bun and Deno.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * One value: its tag, its length in the definite form (X.690 §8.1.3: one byte below 128, else
 * the count of length bytes, then them), then `contents` one after another.
 *
 * @example
 * ```ts
 * tlv(0x04, new Uint8Array([1, 2])); // Uint8Array [0x04, 0x02, 0x01, 0x02]: an OCTET STRING
 * ```
 */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const length = contents.reduce((sum, part) => sum + part.byteLength, 0);
  const lengthBytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthBytes.unshift(rest % 256);
  const head = length < 0x80 ? [tag, length] : [tag, 0x80 | lengthBytes.length, ...lengthBytes];
  const out = new Uint8Array(head.length + length);
  out.set(head);
  let at = head.length;
  for (const part of contents) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** A SEQUENCE of `items` (X.690 §8.9). */
export function sequence(...items: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return tlv(0x30, ...items);
}

/** A SET of one item (X.690 §8.11): a name's relative distinguished name, here always one attribute. */
export function set(item: Uint8Array): Uint8Array {
  return tlv(0x31, item);
}

/** BOOLEAN TRUE: DER writes it as 0xFF (X.690 §11.1). FALSE, being a DEFAULT, is left out. */
export const TRUE = tlv(0x01, new Uint8Array([0xff]));

/**
 * An OBJECT IDENTIFIER (X.690 §8.19): the first two arcs in one number (40 × first + second), then
 * each arc in base 128, high bit set on every byte but its last.
 *
 * @example
 * ```ts
 * oid("2.5.4.3"); // Uint8Array [0x06, 0x03, 0x55, 0x04, 0x03]: commonName
 * ```
 */
export function oid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes: number[] = [];
  for (const arc of [40 * first + second, ...rest]) {
    const arcBytes = [arc & 0x7f];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128))
      arcBytes.unshift(0x80 | (high & 0x7f));
    bytes.push(...arcBytes);
  }
  return tlv(0x06, new Uint8Array(bytes));
}

/**
 * The non-negative INTEGER whose big-endian bytes are `unsigned`, in the fewest bytes two's
 * complement allows (X.690 §8.3.2): leading zero bytes dropped, one zero put back where the
 * first byte's high bit would make it negative.
 *
 * @example
 * ```ts
 * integer(new Uint8Array([0x00, 0x80])); // Uint8Array [0x02, 0x02, 0x00, 0x80]
 * ```
 */
export function integer(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const digits = unsigned.subarray(start);
  return (digits[0] ?? 0) & 0x80 ? tlv(0x02, new Uint8Array([0]), digits) : tlv(0x02, digits);
}

/** A BIT STRING of whole bytes: no unused bits in the last one (X.690 §8.6.2). */
export function bitString(bytes: Uint8Array): Uint8Array {
  return tlv(0x03, new Uint8Array([0]), bytes);
}

/** An OCTET STRING (X.690 §8.7). */
export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(0x04, bytes);
}

/** A UTF8String (X.690 §8.23), what RFC 5280 §4.1.2.4 asks names to be written in. */
export function utf8String(text: string): Uint8Array {
  return tlv(0x0c, encoder.encode(text));
}

/**
 * A certificate's time (RFC 5280 §4.1.2.5): UTCTime `YYMMDDHHMMSSZ` through 2049,
 * GeneralizedTime `YYYYMMDDHHMMSSZ` from 2050, to the second, in UTC.
 */
export function time(date: Date): Uint8Array {
  const digits = date
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/[-:T]/g, "");
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, encoder.encode(digits.slice(2))) : tlv(0x18, encoder.encode(digits));
}
