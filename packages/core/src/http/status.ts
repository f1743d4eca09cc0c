/**
 * The statuses the server answers with by itself, by name (RFC 9110 §15), and their reason phrases.
 *
 * @module
 */

/**
 * Named status codes, so a reader sees `STATUS.NotFound` where the handler decides one.
 *
 * @example
 * ```ts
 * if (stat === null) return error(STATUS.NotFound, head);
 * ```
 */
export const STATUS = {
  OK: 200,
  NoContent: 204,
  PartialContent: 206,
  MovedPermanently: 301,
  NotModified: 304,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  PreconditionFailed: 412,
  UriTooLong: 414,
  RangeNotSatisfiable: 416,
  InternalServerError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
  GatewayTimeout: 504,
} as const;

/** Reason phrases of the statuses the handler answers with by itself. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  412: "Precondition Failed",
  414: "URI Too Long",
  416: "Range Not Satisfiable",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
