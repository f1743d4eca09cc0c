/**
 * Header fields the server is given to send (custom headers, CORS origins, Cache-Control), checked
 * once at construction so that a bad one is an error at start-up, never a broken response.
 *
 * @module
 */

// RFC 9110 §5.1: a field name is a token.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// RFC 9110 §5.5: a field value never holds CR, LF or NUL (they would split or end the head).
const FORBIDDEN_IN_VALUE = /[\r\n\0]/;

/**
 * The header as it will be sent (name lower-cased, value trimmed), or a TypeError naming it.
 *
 * @param name The field name, any case.
 * @param value The field value.
 * @returns The pair `[name, value]` to append to every response.
 * @example
 * ```ts
 * checkedHeader("X-Frame-Options", " DENY "); // ["x-frame-options", "DENY"]
 * checkedHeader("X Bad", "1"); // throws TypeError: invalid header name: "X Bad"
 * ```
 */
export function checkedHeader(name: string, value: string): [string, string] {
  if (!TOKEN.test(name)) throw new TypeError(`invalid header name: ${JSON.stringify(name)}`);
  if (FORBIDDEN_IN_VALUE.test(value)) throw new TypeError(`invalid value for header ${name}: ${JSON.stringify(value)}`);
  return [name.toLowerCase(), value.trim()];
}
