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
  Created: 201,
  NoContent: 204,
  PartialContent: 206,
  /** RFC 4918 §11.1: a PROPFIND's answer, one status per resource and property. */
  MultiStatus: 207,
  MovedPermanently: 301,
  SeeOther: 303,
  NotModified: 304,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  PreconditionFailed: 412,
  ContentTooLarge: 413,
  UriTooLong: 414,
  UnsupportedMediaType: 415,
  RangeNotSatisfiable: 416,
  InternalServerError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
  GatewayTimeout: 504,
  InsufficientStorage: 507,
} as const;

/** Reason phrases of the statuses the handler answers with by itself. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  507: "Insufficient Storage",
};
