/**
 * What a listing page adds when the handler takes writes (the `write` option): an upload section
 * (a plain form, and the tools the script shows in its place), a rename and a delete button per
 * entry when the server may delete, the style and script behind them, and the policy that lets the
 * script send requests to the share. A read-only page carries none of it: not a byte.
 *
 * Without JavaScript the form still uploads (`POST` of `multipart/form-data` to the folder, which
 * answers 303 back to it: write/form.ts); the buttons of the rows are not shown, since `MOVE`,
 * `DELETE` and `MKCOL` are not methods an HTML form can send.
 *
 * @module
 */
import { LISTING_CSS, policyOf, SCRIPT_CORE } from "./assets.js";
import { UPLOAD_JS } from "./upload-script.js";

/** What the page offers of the handler's writes. */
export interface PageWrites {
  /** Files and folders can be created (always, when the page has writes at all). */
  upload: boolean;
  /** Files and folders can also be replaced, renamed and deleted. */
  delete: boolean;
  /** The largest file the server takes, in bytes: a larger one is not sent. */
  maxUploadSize: number;
}

/**
 * The writable page's additions to the style: the upload tools, the uploads in progress, the
 * buttons of the rows (shown once the script runs: `html.js`), the dialog. In the style sheet's
 * colours, so light and dark follow; the row buttons keep a row's height, which the groups of
 * rows are estimated by (assets.ts, ROW_REM).
 */
const UPLOAD_CSS = `
#up{margin:0 0 .75rem}#send,#tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
input[type=file]{font:inherit;max-width:100%}
#drop{flex:1 1 16rem;padding:1rem;border:2px dashed var(--muted);border-radius:8px;background:var(--bg)}
#drop.over{border-color:var(--accent);background:var(--row)}
#jobs{list-style:none;margin:.5rem 0 0;padding:0}#jobs:empty{display:none}
#jobs li{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.25rem 0;
border-bottom:1px solid var(--line)}#jobs .n{flex:1 1 12rem;min-width:0;overflow-wrap:anywhere}
#jobs progress{width:8rem}
#said{margin:.25rem 0 0}#jobs button,.e button{padding:0 .5rem;font-size:.875rem}
.files :is(th,td):nth-child(4){flex:none;width:11.5em}
.files td:nth-child(4),.act{display:flex;flex-wrap:wrap;gap:.35rem}
.files td:nth-child(4){justify-content:flex-end}.act{margin-top:.35rem}
html:not(.js) :is(.files :is(th,td):nth-child(4),.act){display:none}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
dialog{width:min(26rem,calc(100vw - 2rem));padding:1rem 1.25rem;border:1px solid var(--line);border-radius:8px;
background:var(--bg);color:var(--fg)}dialog::backdrop{background:rgb(0 0 0/.5)}
dialog h2{font-size:1.1rem;margin:0 0 .5rem;overflow-wrap:anywhere}#ask-p:empty{display:none}
#ask-f{display:flex;flex-direction:column;gap:.25rem}
#ask-name{font:inherit;padding:.35rem .5rem;border:1px solid var(--muted);border-radius:6px;background:var(--bg);
color:var(--fg)}.acts{display:flex;justify-content:flex-end;gap:.5rem;margin-top:1rem}
@media (max-width:30rem){.files tr{flex-wrap:wrap}.files th:nth-child(4){width:0;padding:0}
.files td:nth-child(4){flex:1 0 100%;padding-top:0}}`;

/** The writable page's style: the listing's, and {@link UPLOAD_CSS}. */
export const WRITABLE_CSS = LISTING_CSS + UPLOAD_CSS;

/** The writable page's script: the listing's and the writes', in one scope (upload-script.ts). */
export const WRITABLE_JS = `(()=>{${SCRIPT_CORE}\n${UPLOAD_JS}})();`;

let policy: Promise<string> | undefined;

/** The writable page's Content-Security-Policy: the listing's, and `connect-src 'self'` for the uploads. */
export function writablePolicy(): Promise<string> {
  policy ??= policyOf(WRITABLE_CSS, WRITABLE_JS, true);
  return policy;
}

/** A row's buttons (its last cell), and a tile's. Rows end with no end tags, as listing rows do (page.ts). */
export const ROW_ACTIONS = "<td><button class=mv>Rename</button><button class=rm>Delete</button>";
export const TILE_ACTIONS = "<div class=act><button class=mv>Rename</button><button class=rm>Delete</button></div>";
/** The column header over the rows' buttons: named for assistive technology, blank to the eye. */
export const ACTIONS_HEADER = '<th scope="col"><span class="vh">Actions</span></th>';

/** The dialog that asks for a name (new folder, rename) or asks before a delete; the script fills it in. */
const DIALOG = `<dialog id="ask" aria-labelledby="ask-h" aria-describedby="ask-p"><form method="dialog">
<h2 id="ask-h">Name</h2><p id="ask-p"></p>
<div id="ask-f"><label for="ask-name">Name</label>
<input id="ask-name" required autocomplete="off" spellcheck="false"></div>
<div class="acts"><button id="ask-ok" value="ok">OK</button><button value="" formnovalidate>Cancel</button></div>
</form></dialog>`;

/**
 * The upload section, between the header and the list: the form that works without JavaScript,
 * and the tools the script shows in its place (the drop zone, which is also the files button, a
 * folder button, a new-folder button), the uploads in progress, the status line, the dialog.
 *
 * @param write what the server allows
 * @param most the upload cap as a person reads it (`10 GiB`)
 * @returns the section's HTML
 * @example
 * ```ts
 * uploadSection({ upload: true, delete: false, maxUploadSize: 1024 }, "1.0 KiB");
 * ```
 */
export function uploadSection(write: PageWrites, most: string): string {
  const hint = `at most ${most} a file`;
  return `<section id="up" aria-label="Upload" data-max="${write.maxUploadSize}" data-max-label="${most}"${
    write.delete ? " data-delete" : ""
  }>
<form id="send" method="post" enctype="multipart/form-data" action=".">
<label for="files">Upload files</label><input id="files" name="files" type="file" multiple>
<button type="submit">Upload</button><span class="muted">${hint}</span>
</form>
<div id="tools" hidden>
<button id="drop" type="button" aria-describedby="most">Drop files here, or choose them</button>
<button id="pickdir" type="button">Upload a folder</button><button id="mkdir" type="button">New folder</button>
<input id="dir" type="file" webkitdirectory hidden><span id="most" class="muted">${hint}</span>
</div>
<ul id="jobs" aria-label="Uploads"></ul>
<p id="said" role="status"></p>
${DIALOG}
</section>
`;
}
