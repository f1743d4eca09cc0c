/**
 * The one file tree every conformance target serves: written to disk for Node, Bun and Deno, and
 * held in memory (memoryFileSystem) for workerd. Runtime-neutral, so the worker bundle can use it.
 */

/** Every file's modification time, so validators are the same on every target. */
export const MTIME = Date.UTC(2026, 0, 2, 3, 4, 5);
export const LAST_MODIFIED = "Fri, 02 Jan 2026 03:04:05 GMT";

/** Bigger than any stream chunk (64 KiB) and the 256 KiB buffered-read threshold. */
export const BIG_SIZE = 3 * 1024 * 1024 + 17;

/** Byte `i` of big.bin: checkable at any offset, and not periodic in powers of two. */
export function bigByte(i: number): number {
  return (i * 31 + 7) % 251;
}

export function bigFile(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(BIG_SIZE);
  for (let i = 0; i < BIG_SIZE; i++) bytes[i] = bigByte(i);
  return bytes;
}

export const TEXT = "hello from simplehttp\n";
export const GZ_TEXT = "this file has a precompressed sibling\n".repeat(20);

/** The files of `order/`, in the order every listing form gives them. */
export const ORDERED_NAMES = [
  "apple.txt",
  "Ärger.doc",
  "éclair.md",
  "File1.txt",
  "file2.txt",
  "file10.txt",
  "Zebra.txt",
] as const;

/** Paths under the root → contents. A key ending in `/` is an empty directory. */
export function fixtureFiles(gzipped: Uint8Array<ArrayBuffer>): Record<string, string | Uint8Array<ArrayBuffer>> {
  return {
    "hello.txt": TEXT,
    "empty.txt": "",
    "big.bin": bigFile(),
    "page.html": "<!doctype html><p>page</p>",
    "data.json": '{"ok":true}',
    "app.js": "export const ok = true;\n",
    "module.wasm": new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]),
    "no-extension": "bytes",
    "site/index.html": "<h1>site</h1>",
    "site/index.htm": "<h1>shadowed</h1>",
    "legacy/index.htm": "<h1>legacy</h1>",
    "docs/guide.txt": "guide",
    "docs/sub/deep.txt": "deep",
    "docs/a b.txt": "space",
    "docs/x#y%&<w>.txt": "odd",
    "docs/naïve 日本.txt": "unicode",
    "docs/.hidden": "hidden",
    "empty-dir/": "",
    // Linux names are bytes: \uDCFF is the byte 0xFF, which is not UTF-8 (core's names.ts).
    "bytes/inv\uDCFFalid.txt": "not UTF-8",
    "bytes/d\uDCE9/in.txt": "inside a folder whose name is not UTF-8",
    "gz/text.txt": GZ_TEXT,
    // Names whose order a person expects (suite.ts, "listings for people and scripts"): accents
    // beside their letter, case aside, numbers by value.
    ...Object.fromEntries(ORDERED_NAMES.map((name) => [`order/${name}`, name])),
    "gz/text.txt.gz": gzipped,
    // For the site options (site-options.ts): an app's shell, a page without its extension, a 404 page.
    "spa-shell.html": "<!doctype html><p>the app's shell</p>",
    "about.html": "<!doctype html><p>about</p>",
    "errors/404.html": "<!doctype html><p>this site's own 404</p>",
    ".env": "SECRET=conformance-dotfile",
    ".git/config": "[core] secret",
    ".well-known/security.txt": "Contact: mailto:security@example.com",
  };
}

/** gzip of GZ_TEXT with the platform's CompressionStream. */
export async function gzipText(): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([GZ_TEXT]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The options every target's server runs with. */
export const SERVER_OPTIONS = { precompressed: true, cors: true } as const;

/** The Basic auth users of SITE_OPTIONS: a password with colons, and a UTF-8 one given as SHA-256. */
export const SITE_USERS = { ana: "s3cret:with:colons", jürgen: "pässwörd" } as const;

/**
 * The options of the second server each target runs (site-options.ts): a single-page app's shell,
 * clean URLs, the site's own 404 page, and Basic auth, over SERVER_OPTIONS (CORS on, so a
 * preflight passes without credentials).
 */
export const SITE_OPTIONS = {
  ...SERVER_OPTIONS,
  spa: "spa-shell.html",
  extensions: ["html"],
  notFoundPage: "errors/404.html",
  auth: {
    users: [
      { user: "ana", password: SITE_USERS.ana },
      // sha256("pässwörd"), UTF-8
      { user: "jürgen", sha256: "46970bef70aced8123f0d5d094717e2a5cd412041e03b26376049fe65b2834a4" },
    ],
  },
} as const;
