/**
 * A failed `fetch` as one POSIX-style code, whatever the runtime: the core maps the code to a
 * status (502, or 504 for ETIMEDOUT), and a log line names it the same way on every runtime.
 *
 * Each runtime says "connection refused" its own way (measured with Node 20.20, Bun 1.4.5, Deno
 * 2.9.6): Node's fetch (undici) throws `TypeError("fetch failed")` with the system error, and its
 * `code`, in `cause`; Bun puts the code on the TypeError itself; Deno gives no code at all, only
 * the text of its HTTP client's error in `cause.message` ("tcp connect error: Connection refused
 * (os error 111)"), so its codes are read from the words.
 *
 * @module
 */

/** The codes a failed call to the store is told by, with what each means to a person. */
export const NETWORK_CODES = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection closed before an answer",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name could not be looked up for now",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "timed out",
  // Ours: the store failed in a way that has no system code (an answer that is not HTTP, a TLS
  // certificate refused, a runtime's error this table does not know).
  EUPSTREAM: "no usable answer",
} as const;

export type NetworkCode = keyof typeof NETWORK_CODES;

/** undici's own codes for what the system calls by another name. */
const UNDICI_CODES: Readonly<Record<string, NetworkCode>> = {
  UND_ERR_SOCKET: "ECONNRESET", // "other side closed"
  UND_ERR_CLOSED: "ECONNRESET",
  UND_ERR_CONNECT_TIMEOUT: "ETIMEDOUT",
  UND_ERR_HEADERS_TIMEOUT: "ETIMEDOUT",
  UND_ERR_BODY_TIMEOUT: "ETIMEDOUT",
};

/** Deno's words (hyper and the OS's `strerror`), most specific first. */
const DENO_WORDS: readonly (readonly [RegExp, NetworkCode])[] = [
  [/connection refused/i, "ECONNREFUSED"],
  [/temporary failure in name resolution/i, "EAI_AGAIN"],
  [/dns error|failed to lookup address|name or service not known|nodename nor servname/i, "ENOTFOUND"],
  [/connection reset|connection closed before message completed|broken pipe/i, "ECONNRESET"],
  [/no route to host|host is unreachable/i, "EHOSTUNREACH"],
  [/network is unreachable/i, "ENETUNREACH"],
  [/timed out/i, "ETIMEDOUT"],
];

/**
 * The code of a failed `fetch` (`thrown` and its causes, a few deep), `EUPSTREAM` when none is
 * known.
 *
 * @example
 * ```ts
 * networkCode(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } })); // "ECONNREFUSED"
 * ```
 */
export function networkCode(thrown: unknown): NetworkCode {
  const chain = causes(thrown);
  for (const error of chain) {
    const code = "code" in error ? error.code : undefined;
    if (typeof code !== "string") continue;
    if (code in NETWORK_CODES) return code as NetworkCode;
    const known = UNDICI_CODES[code];
    if (known !== undefined) return known;
  }
  const words = chain.map((error) => ("message" in error ? String(error.message) : "")).join(" | ");
  return DENO_WORDS.find(([pattern]) => pattern.test(words))?.[1] ?? "EUPSTREAM";
}

/** `thrown`, its cause, its cause's cause…: at most four, objects only. */
function causes(thrown: unknown): object[] {
  const chain: object[] = [];
  let error = thrown;
  while (typeof error === "object" && error !== null && chain.length < 4 && !chain.includes(error)) {
    chain.push(error);
    error = "cause" in error ? error.cause : undefined;
  }
  return chain;
}

/** The most telling message of a fetch failure (Node hides the system's in `cause`). */
export function messageOf(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  const cause = thrown.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string")
    return cause.code;
  return thrown.message;
}
