/**
 * `--qr`: a URL as a QR code in Unicode half blocks, for a phone's camera. Loaded only with the
 * flag, and only when there is a Network URL to show (docs/performance.md, "Start-up").
 *
 * @module
 */
import { encode } from "uqr";

/** Light modules on every side: ISO/IEC 18004 asks for a quiet zone 4 modules wide. */
const QUIET_ZONE = 4;

/**
 * Two modules a character, the top one and the one below it, indexed by `top * 2 + bottom` with
 * 1 for light: the light modules are the glyph, the dark ones the background. A terminal's cell
 * is about twice as high as it is wide, so each module comes out about square.
 */
const HALF_BLOCKS = [" ", "▄", "▀", "█"] as const;

/**
 * The glyphs in the 256-colour palette's white (231) on its black (16): those two are the same on
 * every theme, where the 16 basic colours are the theme's, so the code is dark on light, as
 * cameras read it, on a light terminal too. Without colour the glyphs take the terminal's own
 * foreground, which is light on the usual dark theme.
 */
const WHITE_ON_BLACK = "\x1b[38;5;231;48;5;16m";
const DEFAULT_COLOURS = "\x1b[39;49m";

/** The code's lines as the command prints them, and how many columns they take. */
export interface QrCode {
  lines: string[];
  columns: number;
}

/**
 * `url` as a QR code: the smallest version that holds it (the larger its modules, the farther a
 * phone reads it), at the best error correction that version allows, with its quiet zone.
 *
 * @param url The text to encode, in byte mode, as it will be decoded.
 * @param colour Paint the code white on black; without, the terminal's colours draw it.
 * @returns The lines (indented by two columns, like the URL lines) and their width in columns.
 * @example
 * ```ts
 * const { lines } = qrCode("http://192.168.1.20:8000/", true);
 * process.stdout.write(`${lines.join("\n")}\n`);
 * ```
 */
export function qrCode(url: string, colour: boolean): QrCode {
  const { data, size } = encode(url, { ecc: "L", boostEcc: true, border: 0 });
  const light = (x: number, y: number): number => (data[y]?.[x] === true ? 0 : 1);
  const side = size + 2 * QUIET_ZONE;
  const lines: string[] = [];
  // The side is odd (21 + 4 × (version − 1) modules, plus 8): the last line's lower half is one
  // more row of quiet zone, light like the rest of it.
  for (let y = -QUIET_ZONE; y < size + QUIET_ZONE; y += 2) {
    let line = "";
    for (let x = -QUIET_ZONE; x < size + QUIET_ZONE; x++) line += HALF_BLOCKS[light(x, y) * 2 + light(x, y + 1)];
    lines.push(colour ? `  ${WHITE_ON_BLACK}${line}${DEFAULT_COLOURS}` : `  ${line}`);
  }
  return { lines, columns: side + 2 };
}
