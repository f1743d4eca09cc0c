/**
 * HTTP-dates (RFC 9110 §5.6.7).
 *
 * @module
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const TIME = "(\\d\\d):(\\d\\d):(\\d\\d)";
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`,
);
const ASCTIME = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

// The last second formatted: a busy file's Last-Modified is the same second request after request,
// and formatting one costs a Date and V8's printf (a few per cent of a 304 on Node). A pure
// function's last answer, not a cache of the disk: the time comes from the request's own stat.
let lastSecond = Number.NaN;
let lastFormatted = "";

/** Formats a time as an IMF-fixdate, the only form a sender may generate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function formatHttpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastFormatted = new Date(ms).toUTCString();
    lastSecond = second;
  }
  return lastFormatted;
}

/**
 * Parses an HTTP-date in any of the three forms a recipient must accept (IMF-fixdate, RFC 850,
 * asctime) into milliseconds, or `undefined` when it is not one. `Date.parse` is not used: it
 * accepts nearly anything (`"0"` is the year 2000) and reads asctime in the local time zone.
 * RFC 9110 §13.1.3: an invalid date in a precondition is ignored, not an error.
 *
 * @example
 * ```ts
 * parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT");  // 784111777000
 * parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"); // 784111777000
 * parseHttpDate("Sun Nov  6 08:49:37 1994");       // 784111777000
 * parseHttpDate("yesterday");                      // undefined
 * ```
 */
export function parseHttpDate(value: string): number | undefined {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = RFC_850.exec(value);
  if (m) return utc(fullYear(Number(m[3])), m[2], m[1], m[4], m[5], m[6]);
  m = ASCTIME.exec(value);
  if (m) return utc(m[6], m[1], m[2], m[3], m[4], m[5]);
  return undefined;
}

/** HTTP-dates carry whole seconds, so file times are compared at that precision. */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

// RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is the most recent past
// year with those digits.
function fullYear(twoDigits: number): number {
  const now = new Date().getUTCFullYear();
  let year = now - (now % 100) + twoDigits;
  if (year > now + 50) year -= 100;
  return year;
}

function utc(...parts: (string | number | undefined)[]): number | undefined {
  const [year, month, day, hours, minutes, seconds] = parts;
  const ms = Date.UTC(
    Number(year),
    MONTHS.indexOf(String(month)),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
  const date = new Date(ms);
  // Reject what Date.UTC would silently roll over, such as 31 Feb or 25:00.
  return date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hours) &&
    Number(seconds) < 60 &&
    Number(minutes) < 60
    ? ms
    : undefined;
}
