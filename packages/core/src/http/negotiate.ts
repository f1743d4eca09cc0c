/**
 * Content negotiation: encodings (RFC 9110 §12.5.3, `Accept-Encoding`) and media types (§12.5.1, `Accept`).
 *
 * @module
 */

/**
 * The q-value a client gives each item of an `Accept-Encoding` or `Accept` field, lower-cased
 * (`*` and `*\/*` stand for anything not named); a missing or malformed weight counts as 1
 * (§12.4.2 allows at most three decimals). Other parameters are ignored.
 */
export function parseWeights(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const item of header.split(",")) {
    const [coding = "", ...params] = item.split(";").map((s) => s.trim());
    if (coding === "") continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*([01](?:\.\d{0,3})?)$/i.exec(param);
      if (match) q = Math.min(1, Number(match[1]));
    }
    weights.set(coding.toLowerCase(), q);
  }
  return weights;
}

/**
 * Picks the coding to send among `offered` (in the server's order of preference), or `null` for
 * identity. A coding is acceptable when its weight (or `*`'s) is above 0; the highest weight wins
 * and ties go to the server's order. No header means any coding is acceptable (§12.5.3) but the
 * server should not assume it: identity is sent. Identity itself is never refused here: a
 * `406` for a static file helps no one, and §12.5.3 lets the server send identity anyway.
 *
 * @example
 * ```ts
 * chooseEncoding("gzip, br;q=0.9", ["br", "gzip"]); // "gzip"
 * chooseEncoding("br;q=0, *", ["br", "gzip"]);       // "gzip"
 * chooseEncoding("identity", ["br", "gzip"]);         // null
 * chooseEncoding("identity, gzip;q=0.5", ["gzip"]);  // null
 * ```
 */
export function chooseEncoding(header: string | null, offered: readonly string[]): string | null {
  if (header === null || offered.length === 0) return null;
  const weights = parseWeights(header);
  const any = weights.get("*");
  let best: string | null = null;
  let bestQ = 0;
  for (const coding of offered) {
    // "x-gzip" is gzip (§8.4.1.3).
    const q = weights.get(coding) ?? (coding === "gzip" ? weights.get("x-gzip") : undefined) ?? any ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  // An identity the client names and weighs at least as high wins; unnamed, it comes last.
  const identity = weights.get("identity");
  return identity !== undefined && identity >= bestQ ? null : best;
}

/**
 * Picks among `offered` media types (in the server's order of preference) the one `Accept`
 * weighs highest (RFC 9110 §12.5.1): an exact `type/subtype` counts before `type/*`, which
 * counts before `*\/*`; ties go to the server's order. `null` without the header, or when none is
 * acceptable, so that the caller picks its default.
 *
 * @example
 * ```ts
 * preferredMediaType("application/json", ["text/html", "application/json"]); // "application/json"
 * preferredMediaType("text/plain;q=0.5, application/json;q=0.1", ["application/json", "text/plain"]); // "text/plain"
 * ```
 */
export function preferredMediaType(header: string | null, offered: readonly string[]): string | null {
  if (header === null) return null;
  const weights = parseWeights(header);
  let best: string | null = null;
  let bestQ = 0;
  for (const type of offered) {
    const q = weights.get(type) ?? weights.get(`${type.slice(0, type.indexOf("/"))}/*`) ?? weights.get("*/*") ?? 0;
    if (q > bestQ) {
      best = type;
      bestQ = q;
    }
  }
  return best;
}
