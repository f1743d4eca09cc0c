/**
 * The table of `_redirects` and `_headers` files, and of requests with the answers they get: the
 * Cloudflare Pages dialect, measured. site-rules-reference.test.ts checks every answer and every
 * warned line against Cloudflare's own asset worker and parser (in Miniflare) and against our
 * handler; site-rules.test.ts runs the answers on Node, Bun, Deno and workerd. Runtime-neutral:
 * the worker bundle imports it.
 */

/** The site every case serves, beside its rule files. No `.html` is a target: the platform's
 * HTML handling (`/a.html` → `/a`) is not this server's, and is not what the rules are about. */
export const RULE_SITE: Readonly<Record<string, string>> = {
  "index.html": "<p>home</p>",
  "new.txt": "new",
  "users/profile.txt": "profile",
  "docs/guide.txt": "guide",
  "assets/app.css": "body{}",
};

/** The worker's header naming the case whose files answer (site-rules-worker.ts). */
export const CASE_HEADER = "x-rule-case";

/** A request and its answer: the status, `Location` (`null`: none), headers (`null`: absent), body. */
export interface RuleRequest {
  path: string;
  status: number;
  location?: string | null;
  headers?: Readonly<Record<string, string | null>>;
  /** The body of a 200 (what a rewrite served). */
  body?: string;
}

/** Where the platform must differ from us, and why. */
export interface PlatformDifference {
  why: string;
  /** Lines (of `_redirects` or `_headers`) we warn about and the platform accepts, then drops as it runs. */
  silentOn?: readonly string[];
  /** Lines the platform warns about and we skip with their block's warning. */
  alsoWarns?: readonly string[];
  /** What the platform answers instead, by path. */
  answers?: Readonly<Record<string, Partial<RuleRequest>>>;
}

export interface RuleCase {
  name: string;
  redirects?: string;
  headers?: string;
  /** The numbers of the lines skipped with a warning, in each file. */
  skipped: { redirects?: readonly number[]; headers?: readonly number[] };
  requests: readonly RuleRequest[];
  platform?: PlatformDifference;
}

const lines = (...rows: string[]) => `${rows.join("\n")}\n`;
const range = (count: number, row: (i: number) => string) => Array.from({ length: count }, (_, i) => row(i + 1));

export const RULE_CASES: readonly RuleCase[] = [
  {
    // First, so the next case's files are made under a root whose missing rule files were recorded
    // (fs/absences.ts): the server must follow them at its first request all the same.
    name: "without rule files, every path is served as it is",
    skipped: {},
    requests: [
      { path: "/new.txt", status: 200, location: null, body: "new" },
      { path: "/new.txt", status: 200, body: "new" },
      { path: "/301", status: 404 },
      { path: "/new.txt", status: 200, body: "new" },
    ],
  },
  {
    name: "each status, 302 by default",
    redirects: lines(
      "/301 /new.txt 301",
      "/302 /new.txt",
      "/303 /new.txt 303",
      "/307 /new.txt 307",
      "/308 /new.txt 308",
    ),
    skipped: {},
    requests: [
      { path: "/301", status: 301, location: "/new.txt" },
      { path: "/302", status: 302, location: "/new.txt" },
      { path: "/303", status: 303, location: "/new.txt" },
      { path: "/307", status: 307, location: "/new.txt" },
      { path: "/308", status: 308, location: "/new.txt" },
      { path: "/new.txt", status: 200, location: null, body: "new" },
      { path: "/_redirects", status: 404 },
    ],
  },
  {
    name: "placeholders and a splat",
    redirects: lines(
      "/blog/:year/:slug /posts/:slug?y=:year 301",
      "/files/* /docs/:splat",
      "/u/:id/* /users/:id/:splat 307",
      "/empty/* /to/:splat/end 301",
    ),
    skipped: {},
    requests: [
      { path: "/blog/2024/hello", status: 301, location: "/posts/hello?y=2024" },
      { path: "/blog/2024/hello/more", status: 404 },
      { path: "/files/a/b.txt", status: 302, location: "/docs/a/b.txt" },
      { path: "/files/", status: 302, location: "/docs/" },
      { path: "/u/7/a/b", status: 307, location: "/users/7/a/b" },
      { path: "/empty/", status: 301, location: "/to/end" },
    ],
  },
  {
    name: "query strings and fragments",
    redirects: lines("/q /new.txt 301", "/qq /new.txt?from=rule 301", "/frag /new.txt#top 301"),
    skipped: {},
    requests: [
      { path: "/q?a=1&b=2", status: 301, location: "/new.txt?a=1&b=2" },
      { path: "/qq?a=1", status: 301, location: "/new.txt?from=rule" },
      { path: "/frag?a=1", status: 301, location: "/new.txt?a=1#top" },
      { path: "/q/", status: 404 },
    ],
  },
  {
    name: "rewrites (200) serve another path's answer",
    redirects: lines(
      "/profile /users/profile.txt 200",
      "/guide/* /docs/:splat 200",
      "/gone /nothing-here.txt 200",
      "/ext https://example.com/ 200",
    ),
    skipped: { redirects: [4] },
    requests: [
      { path: "/profile", status: 200, location: null, body: "profile" },
      { path: "/profile?x=1", status: 200, body: "profile" },
      { path: "/guide/guide.txt", status: 200, body: "guide" },
      { path: "/gone", status: 404 },
      { path: "/ext", status: 404 },
    ],
  },
  {
    name: "absolute targets, https only",
    redirects: lines(
      "/away https://example.com/path 301",
      "/away-q https://example.com/p?x=1 302",
      "/plain http://example.com/ 301",
      "https://example.com/from /new.txt 301",
      "/other-port https://example.com:8443/x 308",
    ),
    skipped: { redirects: [3, 4] },
    requests: [
      { path: "/away?k=v", status: 301, location: "https://example.com/path?k=v" },
      { path: "/away-q?k=v", status: 302, location: "https://example.com/p?x=1" },
      { path: "/plain", status: 404 },
      { path: "/from", status: 404 },
      { path: "/other-port", status: 308, location: "https://example.com:8443/x" },
    ],
  },
  {
    name: "the loops the platform rejects",
    redirects: lines(
      "/* /index.html 200",
      "/app/* /index 200",
      "/dir/ /index.html 301",
      "/other /index.html 301",
      "/spa/* /new.txt 200",
    ),
    skipped: { redirects: [1, 2, 3] },
    requests: [
      { path: "/anything", status: 404 },
      { path: "/app/x", status: 404 },
      { path: "/other", status: 301, location: "/index.html" },
      { path: "/spa/deep/link", status: 200, body: "new" },
    ],
  },
  {
    name: "comments, blank lines and malformed lines",
    redirects: lines(
      "# a comment",
      "",
      "/c1 /new.txt 301 # a comment after the rule",
      "/c2 /new.txt#frag 301",
      "/only-one",
      "/a /b 301 extra",
      "/x /y 404",
      "/y /z abc",
      "   /indented\t/new.txt   301   ",
      "/s /new.txt 200.0",
      "/dot/../up /new.txt 301",
    ),
    skipped: { redirects: [5, 6, 7, 8] },
    requests: [
      { path: "/c1", status: 301, location: "/new.txt" },
      { path: "/c2", status: 301, location: "/new.txt#frag" },
      { path: "/x", status: 404 },
      { path: "/indented", status: 301, location: "/new.txt" },
      { path: "/up", status: 301, location: "/new.txt" },
      // The status is read as a JavaScript number, as the platform reads it.
      { path: "/s", status: 200, body: "new" },
    ],
  },
  {
    name: "the first rule wins; a repeated source is skipped",
    redirects: lines(
      "/dup /first.txt 301",
      "/dup /second.txt 301",
      "/order/* /splat 302",
      "/order/exact /exact 302",
      "/p/:a /one 302",
      "/p/* /two 302",
    ),
    skipped: { redirects: [2] },
    requests: [
      { path: "/dup", status: 301, location: "/first.txt" },
      { path: "/order/exact", status: 302, location: "/splat" },
      { path: "/p/x", status: 302, location: "/one" },
      { path: "/p/x/y", status: 302, location: "/two" },
    ],
  },
  {
    name: "2,000 static rules and 100 dynamic ones",
    redirects: lines(
      ...range(2001, (i) => `/s${i} /t${i} 301`),
      ...range(101, (i) => `/d${i}/* /t 301`),
      "/after /t 301",
    ),
    skipped: { redirects: [2001, 2102] },
    requests: [
      { path: "/s1", status: 301, location: "/t1" },
      { path: "/s2000", status: 301, location: "/t2000" },
      { path: "/s2001", status: 404 },
      { path: "/d100/x", status: 301, location: "/t" },
      { path: "/d101/x", status: 404 },
      { path: "/after", status: 404 },
    ],
  },
  {
    name: "lines of 2,000 characters, and longer",
    // 4 + 1 + 1991 + 4 characters, then 6 + 1 + 1990 + 4.
    redirects: lines(`/ok /${"a".repeat(1991)} 301`, `/long /${"a".repeat(1990)} 301`),
    skipped: { redirects: [2] },
    requests: [
      { path: "/ok", status: 301, location: `/${"a".repeat(1991)}` },
      { path: "/long", status: 404 },
    ],
  },
  {
    name: "header blocks: every match applies, ! removes, placeholders fill values",
    headers: lines(
      "/*",
      "  X-All: yes",
      "  X-Frame-Options: DENY",
      "/assets/*",
      "  Cache-Control: public, max-age=31536000, immutable",
      "  ! X-Frame-Options",
      "/users/:id",
      "  X-User: :id",
      "  X-All: again",
      "  X-Twice: a",
      "  x-twice: b",
      "/new.txt",
      "  ! ETag",
    ),
    skipped: {},
    requests: [
      { path: "/docs/guide.txt", status: 200, headers: { "x-all": "yes", "x-frame-options": "DENY", "x-user": null } },
      {
        path: "/assets/app.css",
        status: 200,
        headers: { "cache-control": "public, max-age=31536000, immutable", "x-frame-options": null, "x-all": "yes" },
      },
      { path: "/assets/missing.css", status: 404, headers: { "x-frame-options": null, "x-all": "yes" } },
      { path: "/users/profile.txt", status: 200, headers: { "x-user": "profile.txt", "x-all": "yes, again" } },
      { path: "/users/profile.txt", status: 200, headers: { "x-twice": "a, b" } },
      { path: "/new.txt", status: 200, headers: { etag: null, "x-all": "yes" } },
      { path: "/_headers", status: 404, headers: { "x-all": "yes" } },
    ],
  },
  {
    name: "malformed header lines",
    headers: lines(
      "X-Before: path",
      "/ok",
      "  X Bad: 1",
      "  : novalue",
      "  X-Empty:",
      "  justtext",
      "  X-Good: 1",
      "/empty",
      "/next",
      "  X-Next: 1",
      "  !X-NoSpace",
      "nopath",
      "/last",
    ),
    skipped: { headers: [1, 3, 4, 5, 6, 8, 11, 12, 13] },
    requests: [
      { path: "/ok", status: 404, headers: { "x-good": "1", "x-empty": null } },
      { path: "/next", status: 404, headers: { "x-next": "1" } },
    ],
  },
  {
    name: "a block whose URL is refused is skipped whole",
    headers: lines(
      "http://example.com/*",
      "  X-Plain: 1",
      "https://example.com:8443/*",
      "  X-Port: 1",
      "/fine",
      "  X-Fine: 1",
    ),
    skipped: { headers: [1, 3] },
    requests: [{ path: "/fine", status: 404, headers: { "x-fine": "1", "x-plain": null, "x-port": null } }],
    platform: {
      why:
        "Miniflare 4.20260426.0 bundles the parser from before workers-sdk#12276, which warns about each " +
        "header line of a refused block too; wrangler now skips them with the block, as we do",
      alsoWarns: ["X-Plain: 1", "X-Port: 1"],
    },
  },
  {
    name: "100 header rules (and the 101st, which the platform reads before it stops)",
    headers: lines(...range(102, (i) => `/h${i}\n  X-N: ${i}`)),
    skipped: { headers: [203] },
    requests: [
      { path: "/h1", status: 404, headers: { "x-n": "1" } },
      { path: "/h101", status: 404, headers: { "x-n": "101" } },
      { path: "/h102", status: 404, headers: { "x-n": null } },
    ],
  },
  {
    name: "a name twice in a pattern",
    redirects: lines("/a/*/b/* /x 301", "/c/:id/:id /y 301", "/ok/* /z 301"),
    headers: lines("/two/*/x/*", "  X-T: 1", "/ok/*", "  X-Ok: 1"),
    skipped: { redirects: [1, 2], headers: [1] },
    requests: [
      { path: "/a/1/b/2", status: 404 },
      { path: "/c/1/1", status: 404 },
      { path: "/two/1/x/2", status: 404, headers: { "x-t": null } },
      { path: "/ok/1", status: 301, location: "/z", headers: { "x-ok": "1" } },
    ],
    platform: {
      why:
        "the platform parses these, then cannot compile them (a regular expression's group named twice) " +
        "and drops them silently",
      silentOn: ["/a/*/b/* /x 301", "/c/:id/:id /y 301", "/two/*/x/*"],
    },
  },
  {
    name: "headers the server cannot send",
    headers: lines("/*", "  X@Bad: 1", "  Content-Length: 5", "  X-Fine: 1"),
    skipped: { headers: [2, 3] },
    // The body whole: no rule's Content-Length frames it (workerd compresses it, and sends none).
    requests: [{ path: "/new.txt", status: 200, body: "new", headers: { "x-fine": "1" } }],
    platform: {
      why:
        "a name that is not a token (RFC 9110 §5.1) or a field that frames the message (RFC 9112 §6) is refused " +
        "as --header refuses it; the platform takes them and fails or ignores them as it answers",
      silentOn: ["X@Bad: 1", "Content-Length: 5"],
      answers: { "/new.txt": { status: 500, body: undefined, headers: {} } },
    },
  },
];
