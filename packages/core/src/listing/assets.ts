/**
 * What every listing page carries inline, once: its style, its script, its icons, and the
 * Content-Security-Policy that allows exactly those. The page requests nothing of its own beyond
 * the document, so it works offline, behind a mount prefix, and from an edge worker.
 *
 * @module
 */
import { sha256Source } from "../http/csp-hash.js";

/** The kinds of entry the listing draws an icon for. */
export type EntryKind = "folder" | "image" | "audio" | "video" | "archive" | "code" | "text" | "pdf" | "file";

const KIND_BY_EXTENSION: Readonly<Record<string, EntryKind>> = {};
for (const [kind, extensions] of Object.entries({
  image: "png jpg jpeg gif webp avif svg bmp ico tif tiff heic",
  audio: "mp3 wav ogg oga flac m4a aac opus mid midi",
  video: "mp4 webm mkv mov avi m4v ogv mpg mpeg",
  archive: "zip tar gz tgz bz2 xz zst 7z rar br jar deb rpm iso dmg",
  code:
    "js mjs cjs ts tsx jsx json html htm css scss py rb go rs c h cc cpp hpp java kt swift sh bash zsh sql wasm " +
    "yaml yml toml xml php lua pl r",
  text: "txt md markdown csv tsv log rst ini cfg conf rtf tex",
  pdf: "pdf",
} satisfies Record<string, string>)) {
  for (const extension of extensions.split(" "))
    (KIND_BY_EXTENSION as Record<string, EntryKind>)[extension] = kind as EntryKind;
}

/** Images a browser shows by itself, which the gallery view shows as their own thumbnails. */
const THUMBNAIL = new Set(["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "ico"]);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/** The icon of an entry. */
export function entryKind(name: string, directory: boolean): EntryKind {
  if (directory) return "folder";
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return "file";
  // Most extensions are written in lower case: look the name's up as it is before lower-casing it.
  const extension = name.slice(dot + 1);
  return KIND_BY_EXTENSION[extension] ?? KIND_BY_EXTENSION[extension.toLowerCase()] ?? "file";
}

/** Whether the gallery shows the file itself as its thumbnail. */
export function isThumbnail(name: string): boolean {
  return THUMBNAIL.has(extensionOf(name));
}

// 16×16 line icons, stroked; a folder's filled, so that folders stand out from files at a glance
// (as in Caddy's and most file managers' listings), and drawn in a colour of its own.
const PAGE = "M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3";
const ICON_PATHS: Readonly<Record<EntryKind, string>> = {
  folder: "M1.5 3.5h5l1.5 1.5h6.5v8.5h-13z",
  file: PAGE,
  text: `${PAGE} M5.5 8h5 M5.5 10h5 M5.5 12h3`,
  code: `${PAGE} M6.5 8l-1.5 2 1.5 2 M9.5 8l1.5 2-1.5 2`,
  pdf: `${PAGE} M5 9.5h6v3h-6z`,
  archive: `${PAGE} M7.5 2v1 M7.5 4v1 M7.5 6v1 M6.5 8h2v3h-2z`,
  image: "M1.5 2.5h13v11h-13z M1.5 11l4-4 3 3 2-2 4 4 M10.5 5.5h.01",
  audio: "M6 12.5a2 2 0 1 1-2-2 2 2 0 0 1 2 2v-10l7-1.5v9.5 M13 10.5a2 2 0 1 1-2-2 2 2 0 0 1 2 2",
  video: "M1.5 3.5h9v9h-9z M10.5 6.5l4-2v7l-4-2",
};

/**
 * The page's icons, in its style sheet once: each kind's path as an SVG image in a `data:` URL,
 * used as a mask over the text colour (so it follows light and dark), and a row names its icon by
 * a class (`k-text`). An inline `<svg><use>` per row cost sixty bytes a row to write and send.
 */
const ICON_CSS = Object.entries(ICON_PATHS)
  .map(([kind, path]) => {
    // The SVG as a URL: only `<`, `>` and `#` need escaping in a quoted data: URL.
    const fill = kind === "folder" ? "black" : "none";
    const svg =
      `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16' fill='${fill}' stroke='black' ` +
      `stroke-width='1.2' stroke-linejoin='round'><path d='${path}'/></svg>`;
    return (
      `.k-${kind}{--i:url("data:image/svg+xml,` +
      `${svg.replace(/</g, "%3C").replace(/>/g, "%3E").replace(/#/g, "%23")}")}`
    );
  })
  .join("");

/**
 * Rows in each group of the table (a `<tbody>`), which the browser skips laying out while it is
 * far from the viewport (`content-visibility: auto`). Measured on 10,000 rows
 * (docs/performance.md, "Listings"): groups of 64 loaded fastest and filtered fastest; one group
 * a row was slower to filter than none, for the browser's bookkeeping of 10,000 elements.
 */
export const ROWS_PER_GROUP = 64;

/** A row's height, in rem: a line and its padding (LISTING_CSS), the estimate of a group skipped. */
const ROW_REM = 2.27;

/**
 * The page's style: light and dark from the system, readable from 320 px, visible focus.
 * ASCII only, as the page's script and markup are (`\\203A` for U+203A): V8 keeps a string of
 * one-byte characters in half the memory and encodes it to UTF-8 twice as fast, which a large
 * page feels.
 */
export const LISTING_CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--link:#0a58ca;
--line:#d1d9e0;--row:#f6f8fa;--accent:#0a58ca;--folder:#c68c12}
@media (prefers-color-scheme:dark){
:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--link:#6cb6ff;--line:#30363d;--row:#161b22;--accent:#6cb6ff;
--folder:#e3b341}}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0 auto;max-width:72rem;padding:1rem;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
a{color:var(--link)}
a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
header h1{font-size:1.25rem;margin:.25rem 0 1rem;overflow-wrap:anywhere}
nav ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;overflow-wrap:anywhere}
nav li+li::before{content:"\\203A";padding:0 .4em;color:var(--muted)}
.bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-bottom:.75rem}
.bar form{display:flex;align-items:center;gap:.5rem;flex:1 1 16rem;min-width:0}
input[type=search]{flex:1;min-width:0;font:inherit;padding:.35rem .5rem;
border:1px solid var(--muted);border-radius:6px;background:var(--bg);color:var(--fg)}
button{font:inherit;padding:.35rem .75rem;
border:1px solid var(--muted);border-radius:6px;background:var(--row);color:var(--fg)}
table{border-collapse:collapse}th,td{padding:.35rem .5rem;text-align:left;border-bottom:1px solid var(--line)}
.files,.files thead,.files tbody{display:block}.files tr{display:flex}.files th,.files td{display:block}
.files th:first-child,.files td:first-child{flex:1 1 0;min-width:0}
.files td:first-child{display:flex;align-items:flex-start;overflow-wrap:anywhere}.files td a{min-width:0}
.files :is(th,td):nth-child(2){flex:none;width:6em;text-align:right;white-space:nowrap}
.files :is(th,td):nth-child(3){flex:none;width:10em;white-space:nowrap}
.files td:nth-child(3){color:var(--muted)}.files td{font-variant-numeric:tabular-nums}
.files tbody tr:hover{background:var(--row)}
.files tbody{content-visibility:auto;contain-intrinsic-block-size:auto ${ROWS_PER_GROUP * ROW_REM}rem}
td[class]::before,.grid i{content:"";flex:none;display:inline-block;width:1.1em;height:1.1em;
margin:.2em .4em 0 0;background:var(--muted);
-webkit-mask:var(--i) center/contain no-repeat;mask:var(--i) center/contain no-repeat}
td.k-folder::before,.grid i.k-folder{background:var(--folder)}
.grid{list-style:none;margin:0;padding:0;display:grid;gap:.75rem;
grid-template-columns:repeat(auto-fill,minmax(9rem,1fr))}
.grid li{border:1px solid var(--line);border-radius:8px;padding:.5rem;overflow-wrap:anywhere}.grid a{display:block}
.grid img,.grid i{display:block;width:100%;height:7rem;object-fit:contain;margin:0 0 .35rem}
.grid span{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden}
.readme{border-top:1px solid var(--line);margin-top:1.5rem;overflow-wrap:anywhere}.readme img{max-width:100%}
.readme pre{overflow:auto;background:var(--row);padding:.75rem}
.readme h1,.readme h2{padding-bottom:.3em;border-bottom:1px solid var(--line)}.readme h1{font-size:2em}
.readme h2{font-size:1.5em}.readme h3{font-size:1.25em}.readme h4{font-size:1em}.readme h5{font-size:.875em}
.readme h6{font-size:.85em;color:var(--muted)}
.readme blockquote{margin:0 0 1rem;padding:0 1em;color:var(--muted);border-left:.25em solid var(--line)}
.readme .align-center{text-align:center}.readme .align-right{text-align:right}
.muted{color:var(--muted)}@media (max-width:30rem){.files td:nth-child(3),.files th:nth-child(3){display:none}}
${ICON_CSS}`;

/**
 * The page's script, and all of it on a read-only server: the filter as you type (the `q` form
 * works without it), times in the viewer's zone, and a count of the rows shown for screen readers.
 * The column headers and the other view's link take the filter typed, so a click keeps it (the
 * server's links keep a submitted one). It reads names from the page and writes only text and URLs
 * it builds, so no name ever becomes code. The names are read at the first keystroke, not at load,
 * and a row is touched only when it changes. A group of rows the filter left empty is hidden, and
 * every group's estimated height becomes its rows shown: a group far from the viewport is not laid
 * out, and kept the height of all its rows, the matches far apart would come into view one by one.
 * A writable page's script (upload.ts) runs in the same scope, after it: it calls `times` on rows
 * it fetched again, and sets `rows` back to `undefined`, so the filter reads the new rows.
 */
export const SCRIPT_CORE = `const d=document,pad=n=>String(n).padStart(2,"0"),
times=p=>{for(const t of p.querySelectorAll("time[datetime]")){const at=new Date(t.dateTime);
t.title=t.textContent+" UTC";t.textContent=at.getFullYear()+"-"+pad(at.getMonth()+1)+"-"+pad(at.getDate())+" "+
pad(at.getHours())+":"+pad(at.getMinutes())}};times(d);
const q=d.getElementById("q"),live=d.getElementById("shown");let links,rows,names,on,groups,first,h;
const start=()=>{links=[...d.querySelectorAll("thead a,#view")];rows=[...d.querySelectorAll("#list .e")];
names=rows.map(r=>r.querySelector("a").textContent.toLowerCase());on=rows.map(()=>true);
first=d.querySelector(".files tbody");h=(rows[0]&&rows[0].offsetHeight)||36;
groups=new Map([...d.querySelectorAll(".files tbody")].map(g=>[g,0]))};
const filter=()=>{const typed=q.value.trim(),v=typed.toLowerCase();let n=0;if(!rows)start();
for(const g of groups.keys())groups.set(g,0);
for(let i=0;i<rows.length;i++){const r=rows[i],s=!v||names[i].includes(v);if(s!==on[i]){on[i]=s;r.hidden=!s}
if(s){n++;const g=r.parentNode;if(groups.has(g))groups.set(g,groups.get(g)+1)}}
const size="contain-intrinsic-block-size";
for(const[g,k]of groups){g.hidden=k===0&&g!==first;
if(v)g.style.setProperty(size,k*h+"px");else g.style.removeProperty(size)}
for(const a of links){const u=new URL(a.href);if(typed)u.searchParams.set("q",typed);else u.searchParams.delete("q");
a.href=u.href}
live.textContent=n+" of "+rows.length+" shown"};
q.addEventListener("input",filter)`;

/** The read-only page's script: {@link SCRIPT_CORE} in a scope of its own. */
export const LISTING_JS = `(()=>{${SCRIPT_CORE}})();`;

/**
 * A listing's Content-Security-Policy: nothing may load or run but the page's own inline `style`
 * and `script`, matched by hash, and images (the gallery's, a README's badges); with `connect`,
 * the script may also send requests to the share itself (a writable page's uploads).
 */
export async function policyOf(style: string, script: string, connect: boolean): Promise<string> {
  const [styleHash, scriptHash] = await Promise.all([sha256Source(style), sha256Source(script)]);
  return (
    `default-src 'none'; style-src ${styleHash}; script-src ${scriptHash}; ` +
    `img-src 'self' https: data:; ${connect ? "connect-src 'self'; " : ""}` +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
  );
}

let policy: Promise<string> | undefined;

/**
 * The read-only listing's policy ({@link policyOf}). Computed once, on the first listing
 * (WebCrypto's digest is asynchronous, and a worker may not await at start-up).
 */
export function listingPolicy(): Promise<string> {
  policy ??= policyOf(LISTING_CSS, LISTING_JS, false);
  return policy;
}
