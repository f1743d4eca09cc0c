/**
 * Whether to colour, and the few ANSI colours the command uses.
 *
 * @module
 */

/**
 * Colour for a stream: on a terminal unless `NO_COLOR` is set to anything but "" (no-color.org);
 * `FORCE_COLOR` overrides both ways (`0` or `false` off, anything else on, even into a pipe), as
 * Node's own `tty` does: the variable set for one run beats the one set for every run.
 *
 * @example
 * ```ts
 * colourEnabled(process.env, process.stderr.isTTY === true);
 * ```
 */
export function colourEnabled(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR) return false;
  return isTTY;
}

/** Wraps text in an ANSI style, or returns it as is when colour is off. */
export type Paint = (text: string) => string;

const style =
  (on: number, off: number, enabled: boolean): Paint =>
  (text) =>
    enabled ? `\x1b[${on}m${text}\x1b[${off}m` : text;

/** The styles, each a no-op when `enabled` is false. */
export function palette(enabled: boolean) {
  return {
    green: style(32, 39, enabled),
    cyan: style(36, 39, enabled),
    yellow: style(33, 39, enabled),
    red: style(31, 39, enabled),
    dim: style(2, 22, enabled),
    bold: style(1, 22, enabled),
  };
}

export type Palette = ReturnType<typeof palette>;

/** The colour of a status class: 2xx green, 3xx cyan, 4xx yellow, 5xx red (1xx plain). */
export function statusPaint(colours: Palette, status: number): Paint {
  if (status >= 500) return colours.red;
  if (status >= 400) return colours.yellow;
  if (status >= 300) return colours.cyan;
  if (status >= 200) return colours.green;
  return (text) => text;
}
