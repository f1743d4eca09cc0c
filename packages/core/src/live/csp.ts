/**
 * Making room for live reload's script in a page's own Content-Security-Policy (CSP Level 3),
 * so a site that sets one (in `_headers`, with `--header`) keeps it and still reloads: the
 * script's hash goes into the directive that governs inline scripts, and the stream's URL into
 * the one that governs `EventSource` connections. Nothing else of the policy changes.
 *
 * @module
 */

/** A directive's sources, by directive name (lower case), in the policy's order. */
type Directives = Map<string, string[]>;

/**
 * `policy` (one header value, maybe several policies joined with `,`) with `scriptSource` allowed
 * to run inline and `connectSource` allowed as a connection.
 *
 * @param policy the page's `Content-Security-Policy` (or `-Report-Only`) value
 * @param scriptSource the script's hash source, `'sha256-…'`
 * @param connectSource the stream's URL, as a source expression
 * @returns the policy that lets both through
 * @example allowLiveReload("default-src 'self'", "'sha256-abc='", "http://localhost:8000/.simplehttp/live")
 */
export function allowLiveReload(policy: string, scriptSource: string, connectSource: string): string {
  // A header line may hold several policies, separated by commas (CSP 3 §2.2.2); each must allow.
  return policy
    .split(",")
    .map((one) => allowedIn(parse(one), scriptSource, connectSource))
    .join(", ");
}

function parse(policy: string): Directives {
  const directives: Directives = new Map();
  for (const text of policy.split(";")) {
    const [name, ...sources] = text.trim().split(/\s+/);
    // The first of a repeated directive wins; later ones are ignored (CSP 3 §2.2.1).
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function allowedIn(directives: Directives, scriptSource: string, connectSource: string): string {
  // script-src-elem governs <script> elements when present, else script-src, else default-src
  // (CSP 3 §6.1.1.2, the fallback lists): the source goes where the browser will look.
  for (const name of ["script-src-elem", "script-src"]) {
    if (directives.has(name)) directives.set(name, withScript(directives.get(name) ?? [], scriptSource));
  }
  if (!directives.has("script-src-elem") && !directives.has("script-src") && directives.has("default-src")) {
    directives.set("script-src", withScript(directives.get("default-src") ?? [], scriptSource));
  }
  const connect = directives.get("connect-src") ?? directives.get("default-src");
  if (connect !== undefined) directives.set("connect-src", withSource(connect, connectSource));
  return [...directives].map(([name, sources]) => [name, ...sources].join(" ")).join("; ");
}

/**
 * `sources` with the script's hash. A list that allows inline scripts by `'unsafe-inline'` alone
 * is left as it is: a hash in it would turn `'unsafe-inline'` off (CSP 3 §6.7.3.3), and with it
 * every inline script of the site.
 */
function withScript(sources: string[], hash: string): string[] {
  const lower = sources.map((source) => source.toLowerCase());
  const keyed = lower.some((source) => /^'(?:nonce|sha256|sha384|sha512)-/.test(source));
  if (lower.includes("'unsafe-inline'") && !keyed) return sources;
  return withSource(sources, hash);
}

/** `sources` with `source` added; `'none'` goes, since it means nothing only when alone. */
function withSource(sources: string[], source: string): string[] {
  return [...sources.filter((each) => each.toLowerCase() !== "'none'"), source];
}
