/**
 * The script live reload puts into pages (inject.ts): it listens to the event stream (events.ts)
 * and, for each batch of changes,
 * - swaps the `<link rel="stylesheet">` whose file changed for a copy with a cache-busting query,
 *   removing the old one once the new one has loaded (no flash of unstyled page), without a reload;
 *   a stylesheet the page loaded some other way (`@import`) reloads the page;
 * - reloads the page when it shows a path that changed: its own document (`/a/` shows
 *   `/a/index.html`, `/about` shows `/about.html`), anything it loaded (the Resource Timing list:
 *   scripts, images, fonts, what its scripts fetched), or, on a listing, an entry of its folder;
 *   a page whose URL names no file (`/app/route`, which a single-page app's shell or an
 *   extension's sibling may answer) also reloads with any HTML file, as the page cannot tell which;
 * - reloads whatever it shows when the server cannot say what changed (`null`).
 * A page reloads once, however many batches come while it goes.
 *
 * @module
 */

/** The script's body (no `<script>` tags); its one input is the stream's URL path, as JSON. */
const SCRIPT = `(()=>{
if(window.__simplehttpLive)return;
performance.setResourceTimingBufferSize(10000);
const pathOf=(href)=>{try{const u=new URL(href,location.href);
return u.origin===location.origin?decodeURIComponent(u.pathname):null}catch{return null}};
const listing=document.title.startsWith("Directory listing for ");
const shows=(path)=>{const here=pathOf(location.href);
if(here===null)return true;
if(path===here||path===here+".html"||path===here+".htm")return true;
if(/\\.html?$/.test(path)&&/\\/[^/.]+$/.test(here))return true;
if(!here.endsWith("/")||!path.startsWith(here))return false;
const rest=path.slice(here.length);
return rest==="index.html"||rest==="index.htm"||(listing&&!rest.includes("/"))};
const loaded=(path)=>performance.getEntriesByType("resource").some((entry)=>pathOf(entry.name)===path);
let reloading=false;
const reload=()=>{if(!reloading){reloading=true;location.reload()}};
const swap=(path)=>{let swapped=false;
for(const link of document.querySelectorAll('link[rel~="stylesheet"]')){
if(pathOf(link.href)!==path)continue;
const next=link.cloneNode();const url=new URL(link.href);url.searchParams.set("simplehttp-live",Date.now());
next.href=url.href;next.onload=next.onerror=()=>link.remove();link.after(next);swapped=true}
return swapped};
const source=window.__simplehttpLive=new EventSource(URL_PATH);
source.addEventListener("change",(event)=>{const paths=JSON.parse(event.data);
if(paths===null||paths.some((path)=>shows(path)||loaded(path)))reload()});
source.addEventListener("css",(event)=>{for(const path of JSON.parse(event.data))
if(!swap(path)&&(shows(path)||loaded(path)))reload()});
})();`;

/**
 * The script for a stream at `eventsPath` (a URL path, the mount prefix included).
 *
 * @param eventsPath where the page opens its `EventSource`
 * @returns the script's text, to put between `<script>` tags
 * @example clientScript("/.simplehttp/live")
 */
export function clientScript(eventsPath: string): string {
  // The mount prefix is checked to hold no `<` or quote (handler/config.ts): nothing can end the element.
  return SCRIPT.replace("URL_PATH", JSON.stringify(eventsPath));
}
