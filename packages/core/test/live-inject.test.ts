/**
 * Live reload's script in pages (live/inject.ts): only top-level HTML documents, only whole
 * uncompressed 200s, at the right place, with their own length and tag, and room in the CSP.
 * Each "never" of the rules is a case here.
 */
import { describe, expect, it } from "vitest";
import { sha256Source } from "../src/http/csp-hash.js";
import { createHandler, type HandlerOptions, memoryFileSystem } from "../src/index.js";
import { changeFeed } from "../src/live/feed.js";
import { insertionPoint } from "../src/live/inject.js";

const PAGE = '<!DOCTYPE html><html><head><title>t</title></head><body class="x">\n<p>hi</p>\n</body></html>';
const fs = memoryFileSystem(
  {
    "index.html": PAGE,
    "closing-only.html": "<p>a</p></body>",
    "fragment.html": "<p>a fragment</p>",
    "notes.txt": "plain",
    "big.html": `<body>${"x".repeat(4096)}</body>`,
    "folder/a.txt": "a",
  },
  { mtime: Date.UTC(2026, 0, 2) },
);
const DOCUMENT = { "sec-fetch-dest": "document", accept: "text/html" };

const make = (options: Omit<HandlerOptions, "fs"> = {}) => {
  const handler = createHandler({ fs, liveReload: { changes: changeFeed() }, ...options });
  return (path: string, headers: Record<string, string> = DOCUMENT, method = "GET") =>
    handler(new Request(`http://localhost:8000${path}`, { method, headers }));
};
const get = make();
const plain = createHandler({ fs });
const SCRIPT = /<script>\(\(\)=>\{[\s\S]*?<\/script>/;

describe("the script goes into", () => {
  it("a document (Sec-Fetch-Dest: document) right after <body …>, with its own length and tag", async () => {
    const response = await get("/");
    const text = await response.text();
    expect(text.startsWith('<!DOCTYPE html><html><head><title>t</title></head><body class="x"><script>')).toBe(true);
    expect(text.replace(SCRIPT, "")).toBe(PAGE);
    expect(response.headers.get("content-length")).toBe(String(new TextEncoder().encode(text).length));
    const fileTag = (await plain(new Request("http://localhost/"))).headers.get("etag") ?? "";
    const tag = response.headers.get("etag") ?? "";
    expect(tag).not.toBe(fileTag);
    expect(tag.startsWith(fileTag.slice(0, -1))).toBe(true);
    expect(response.headers.get("accept-ranges")).toBe("none");
  });

  it("as a script that parses, whose stream is under the mount prefix", async () => {
    const serve = make({ prefix: "/site" });
    const script = /<script>([\s\S]*?)<\/script>/.exec(await (await serve("/site/")).text())?.[1] ?? "";
    expect(script).toContain('new EventSource("/site/.simplehttp/live")');
    expect(() => new Function(script)).not.toThrow();
  });

  it("a page without Sec-Fetch-Dest whose Accept names HTML (an older browser)", async () => {
    expect(await (await get("/", { accept: "text/html,*/*;q=0.8" })).text()).toMatch(SCRIPT);
  });

  it("a listing shown as a page", async () => {
    expect(await (await get("/folder/")).text()).toMatch(SCRIPT);
  });

  it("before </body> when there is no <body> tag, else at the end", async () => {
    expect(await (await get("/closing-only.html")).text()).toMatch(/^<p>a<\/p><script>[\s\S]*<\/script><\/body>$/);
    expect(await (await get("/fragment.html")).text()).toMatch(/^<p>a fragment<\/p><script>[\s\S]*<\/script>$/);
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(insertionPoint(bytes("<BODY\tid=a>x</BODY>"))).toBe(11);
    expect(insertionPoint(bytes("<bodyguard>x</body> <p></body>"))).toBe(23);
  });

  it("a page asked for with gzip accepted, sent uncompressed so that it can", async () => {
    const serve = make({ compress: { minSize: 1 } });
    const response = await serve("/big.html", { ...DOCUMENT, "accept-encoding": "gzip" });
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.text()).toMatch(SCRIPT);
  });
});

describe("the script never goes into", () => {
  const untouched = async (response: Response, path: string) => {
    expect(await response.text()).not.toMatch(/EventSource/);
    const file = await plain(new Request(`http://localhost${path}`));
    expect(response.headers.get("etag")).toBe(file.headers.get("etag"));
  };

  it("an iframe's page, an embed's, or HTML a script fetched (a listing refreshed by its script)", async () => {
    for (const dest of ["iframe", "frame", "embed", "empty"])
      await untouched(await get("/", { "sec-fetch-dest": dest, accept: "text/html" }), "/");
    const listing = await get("/folder/", { "sec-fetch-dest": "empty", accept: "text/html" });
    expect(await listing.text()).not.toMatch(/EventSource/);
  });

  it("a request without Sec-Fetch-Dest that does not ask for HTML (curl, a fetch)", async () => {
    await untouched(await get("/", { accept: "*/*" }), "/");
    await untouched(await get("/", {}), "/");
  });

  it("a range (206)", async () => {
    const response = await get("/", { ...DOCUMENT, range: "bytes=0-4" });
    expect(response.status).toBe(206);
    expect(await response.text()).toBe("<!DOC");
  });

  it("a 304: the page's own tag revalidates it, and the 304 carries that tag", async () => {
    const tag = (await get("/")).headers.get("etag") ?? "";
    const response = await get("/", { ...DOCUMENT, "if-none-match": tag });
    expect(response.status).toBe(304);
    expect(response.headers.get("etag")).toBe(tag);
    expect(await response.text()).toBe("");
  });

  it("a copy cached without the script: the file's own tag gets the whole page, script and all", async () => {
    const fileTag = (await plain(new Request("http://localhost/"))).headers.get("etag") ?? "";
    const response = await get("/", { ...DOCUMENT, "if-none-match": fileTag });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(SCRIPT);
  });

  it("a HEAD (no body; the file's headers)", async () => {
    const response = await get("/", DOCUMENT, "HEAD");
    expect(response.headers.get("content-length")).toBe(String(PAGE.length));
    await untouched(response, "/");
  });

  it("an error page, or a document that is not HTML", async () => {
    const missing = await get("/nothing.html");
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toMatch(/EventSource/);
    await untouched(await get("/notes.txt"), "/notes.txt");
  });

  it("any reply when live reload is off", async () => {
    expect(await (await plain(new Request("http://localhost/", { headers: DOCUMENT }))).text()).toBe(PAGE);
  });
});

describe("the page's own Content-Security-Policy", () => {
  const policyOf = async (policy: string) => {
    const response = await make({ headers: { "content-security-policy": policy } })("/");
    const script = /<script>([\s\S]*?)<\/script>/.exec(await response.text())?.[1] ?? "";
    return { policy: response.headers.get("content-security-policy") ?? "", hash: await sha256Source(script) };
  };

  it("gets the script's hash where scripts are governed, and the stream's URL where connections are", async () => {
    const { policy, hash } = await policyOf("default-src 'self'; img-src *");
    expect(policy).toBe(
      `default-src 'self'; img-src *; script-src 'self' ${hash}; connect-src 'self' localhost:8000/.simplehttp/live`,
    );
    const strict = await policyOf("default-src 'none'; script-src-elem 'sha256-abc='; connect-src 'none'");
    expect(strict.policy).toBe(
      `default-src 'none'; script-src-elem 'sha256-abc=' ${strict.hash}; connect-src localhost:8000/.simplehttp/live`,
    );
  });

  it("names the stream by 'self' when the Host is no plain host: its bytes never reach the policy", async () => {
    const handler = createHandler({
      fs,
      liveReload: { changes: changeFeed() },
      headers: { "content-security-policy": "connect-src 'none'" },
    });
    for (const host of ["x;script-src", "a,b", "[::1]'x", "h'unsafe-eval'"]) {
      const response = await handler(new Request("http://localhost:8000/", { headers: { ...DOCUMENT, host } }));
      expect(response.headers.get("content-security-policy")).toBe("connect-src 'self'");
    }
    const plainHost = await handler(
      new Request("http://localhost:8000/", { headers: { ...DOCUMENT, host: "[::1]:80" } }),
    );
    expect(plainHost.headers.get("content-security-policy")).toBe("connect-src [::1]:80/.simplehttp/live");
  });

  it("keeps a list that allows inline scripts by 'unsafe-inline' alone: a hash would turn it off", async () => {
    const { policy } = await policyOf("script-src 'self' 'unsafe-inline'");
    expect(policy).toBe("script-src 'self' 'unsafe-inline'");
  });

  it("changes each policy of a header that holds several, and a report-only policy too", async () => {
    const response = await make({
      headers: [
        ["content-security-policy", "script-src 'self', connect-src 'self'"],
        ["content-security-policy-report-only", "default-src 'self'"],
      ],
    })("/");
    const [scripts, connects] = (response.headers.get("content-security-policy") ?? "").split(", ");
    expect(scripts).toMatch(/^script-src 'self' 'sha256-[^']+'$/);
    expect(connects).toBe("connect-src 'self' localhost:8000/.simplehttp/live");
    expect(response.headers.get("content-security-policy-report-only")).toMatch(/script-src 'self' 'sha256-/);
  });

  it("lets the listing's own strict policy connect to the stream", async () => {
    const policy = (await get("/folder/")).headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'sha256-[^']+' 'sha256-[^']+';/);
    expect(policy).toContain("connect-src localhost:8000/.simplehttp/live");
  });
});
