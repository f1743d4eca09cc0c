/**
 * The script of a writable listing page (upload.ts puts it after the read-only page's script, in
 * its scope): files sent from the pickers or dropped on the page, a new folder, rename and delete
 * per row, and the list fetched again when something changed. Everything it does is a request to
 * the share the server answers as it answers curl (docs/writes.md), so the page holds no rule of
 * its own: what the server refuses, the page shows with the server's own sentence.
 *
 * - Each file is an `XMLHttpRequest` `PUT` to its URL (fetch has no upload progress), three at a
 *   time, with `If-None-Match: *` (RFC 9110 §13.1.2): a create, never a replace. A name that is
 *   taken answers 412, shown as "exists", with a Replace that sends it again without the condition
 *   when the server may replace. A folder's files keep their relative paths, each segment
 *   percent-encoded; the server makes the folders. Cancel aborts the request, and the server keeps
 *   nothing of it: a write is whole or absent.
 * - New folder, rename and delete are `MKCOL`, `MOVE` (`Overwrite: F`: a rename never replaces)
 *   and `DELETE`, each asked for in a `<dialog>` (Escape closes it, focus returns where it was).
 * - Done, the page fetches itself again (the same sort, filter and view) and puts the new list in
 *   place of the old: the server's own rows, not rows this script would build.
 * - What happens is said in a status line (a polite live region): the start, each quarter of the
 *   bytes, the result.
 *
 * Names reach the page only as text (`textContent`) and URLs it builds, as in the read-only script.
 *
 * @module
 */

/**
 * The writable page's script, after `SCRIPT_CORE` (assets.ts), whose `d`, `q`, `live`, `rows`,
 * `times` and `filter` it uses. ASCII only, as the rest of the page.
 */
export const UPLOAD_JS = `const $=id=>d.getElementById(id),up=$("up"),said=$("said"),jobs=$("jobs"),zone=$("drop");
const ask=$("ask"),field=$("ask-name"),here=location.pathname,max=+up.dataset.max,replaces="delete" in up.dataset;
const say=t=>{said.textContent=t},enc=p=>p.split("/").map(encodeURIComponent).join("/");
const el=(tag,text,cls)=>{const e=d.createElement(tag);e.textContent=text||"";if(cls)e.className=cls;return e};
const WORDS={0:"the connection failed",403:"refused",404:"not found",412:"exists",413:"too large",
507:"the disk is full"};
const reason=(s,html)=>{const p=s&&html?new DOMParser().parseFromString(html,"text/html").querySelector("p"):null;
return p?p.textContent:WORDS[s]||"failed ("+s+")"};
$("send").hidden=true;$("tools").hidden=false;d.documentElement.classList.add("js");
const reload=async()=>{try{const r=await fetch(location.href,{cache:"no-cache",headers:{accept:"text/html"}});
const doc=new DOMParser().parseFromString(await r.text(),"text/html"),list=$("list"),fresh=doc.getElementById("list");
if(!r.ok||!fresh)throw 0;const had=list.contains(d.activeElement);list.replaceChildren(...fresh.childNodes);
live.textContent=doc.getElementById("shown").textContent;times(list);rows=undefined;if(q.value.trim())filter();
if(had)list.focus();return""}catch{return". The list could not be updated: reload the page"}};
let queue=[],batch=[],active=0,quarter=0;const busy=()=>active>0||queue.length>0;
const button=(j,text,act)=>{j.act.hidden=false;j.act.textContent=text;j.act.setAttribute("aria-label",text+" "+j.path);
j.act.onclick=act};
const add=list=>{if(!list.length)return;if(!busy())jobs.replaceChildren();
for(const{file,path}of list){const j={file,path,only:true,loaded:0,bar:el("progress"),state:el("span","waiting"),
act:el("button")},li=el("li");j.bar.max=100;j.bar.value=0;j.bar.setAttribute("aria-label",path);
li.append(el("span",path,"n"),j.bar,j.state,j.act);jobs.append(li);batch.push(j);
if(file.size>max){j.status=413;j.act.hidden=j.bar.hidden=true;
j.state.textContent="too large: at most "+up.dataset.maxLabel}
else{button(j,"Cancel",()=>cancel(j));queue.push(j)}}
say("Uploading "+(list.length===1?list[0].path:list.length+" files"));pump()};
const pump=()=>{while(active<3&&queue.length){active++;send(queue.shift())}if(!busy())finish()};
const send=j=>{const x=new XMLHttpRequest();j.x=x;x.open("PUT",here+enc(j.path));
if(j.only)x.setRequestHeader("If-None-Match","*");
x.upload.onprogress=e=>{j.loaded=e.loaded;if(e.lengthComputable)j.bar.value=Math.floor(e.loaded*100/e.total);
progress()};x.onloadend=()=>{active--;j.x=null;ended(j,x.status,x.responseText);pump()};
j.state.textContent="uploading";x.send(j.file)};
const cancel=j=>{j.cancelled=true;if(j.x)j.x.abort();else{queue=queue.filter(o=>o!==j);ended(j,0,"");pump()}};
const ended=(j,s,html)=>{const ok=s===201||s===204;j.status=s;j.act.hidden=true;j.bar.value=ok?100:0;j.bar.hidden=!ok;
if(j.cancelled)j.state.textContent="cancelled";else if(ok)j.state.textContent=s===204?"replaced":"done";
else{j.state.textContent=reason(s,html);if(s===412&&replaces)button(j,"Replace",()=>replace(j))}};
const replace=j=>{Object.assign(j,{only:false,cancelled:false,loaded:0});j.bar.value=0;j.bar.hidden=false;queue.push(j);
if(!batch.includes(j))batch.push(j);
button(j,"Cancel",()=>cancel(j));say("Replacing "+j.path);pump()};
const progress=()=>{let all=0,sent=0;for(const j of batch){all+=j.file.size;sent+=Math.min(j.loaded,j.file.size)}
const k=all?Math.floor(sent*4/all):0;if(k>quarter&&k<4){quarter=k;say("Uploading: "+k*25+"%")}};
const finish=async()=>{if(!batch.length)return;const ok=batch.filter(j=>j.status===201||j.status===204).length,
n=batch.length,one=n===1?batch[0]:null;batch=[];quarter=0;
const text=one?one.path+": "+one.state.textContent:ok+" of "+n+" files uploaded";say(text+(ok?await reload():""))};
const picked=(input,relative)=>{input.onchange=()=>{
add([...input.files].map(f=>({file:f,path:relative&&f.webkitRelativePath||f.name})));input.value=""}};
picked($("files"),false);picked($("dir"),true);
zone.onclick=()=>$("files").click();$("pickdir").onclick=()=>$("dir").click();
const walk=(x,out)=>new Promise(ok=>{
if(x.isFile)return x.file(f=>{out.push({file:f,path:x.fullPath.slice(1)});ok()},ok);
const r=x.createReader(),kids=[],more=()=>r.readEntries(l=>l.length?(kids.push(...l),more()):
Promise.all(kids.map(k=>walk(k,out))).then(ok),ok);more()});
let depth=0;const dragged=e=>e.dataTransfer&&[...e.dataTransfer.types].includes("Files");
const over=on=>zone.classList.toggle("over",on);
d.addEventListener("dragenter",e=>{if(dragged(e)){depth++;over(true)}});
d.addEventListener("dragleave",e=>{if(dragged(e)&&--depth<1){depth=0;over(false)}});
d.addEventListener("dragover",e=>{if(dragged(e)){e.preventDefault();e.dataTransfer.dropEffect="copy"}});
d.addEventListener("drop",e=>{if(!dragged(e))return;e.preventDefault();depth=0;over(false);const t=e.dataTransfer;
const entries=[...t.items].map(i=>i.webkitGetAsEntry&&i.webkitGetAsEntry()),plain=[...t.files],out=[];
if(!entries.some(x=>x&&x.isDirectory))return add(plain.map(f=>({file:f,path:f.name})));
Promise.all(entries.map(x=>x&&walk(x,out))).then(()=>add(out.sort((a,b)=>a.path<b.path?-1:1)))});
addEventListener("beforeunload",e=>{if(busy())e.preventDefault()});
const bad=n=>!n?"Type a name":n==="."||n===".."||/[/\\\\]/.test(n)?"A name holds no / or \\\\, and is not . or ..":"";
field.oninput=()=>field.setCustomValidity(bad(field.value.trim()));
const dialog=(title,text,ok,value)=>new Promise(done=>{$("ask-h").textContent=title;$("ask-p").textContent=text;
$("ask-ok").textContent=ok;const named=value!==null;$("ask-f").hidden=!named;field.disabled=!named;
field.value=named?value:"";field.setCustomValidity("");ask.returnValue="";
ask.onclose=()=>done(ask.returnValue!=="ok"?null:named?field.value.trim():"");ask.showModal();
if(named){const dot=value.lastIndexOf(".");field.setSelectionRange(0,dot>0?dot:value.length)}});
const act=async(sent,done,failed,known={})=>{try{const r=await sent;
if(!r.ok)return say(failed+": "+(known[r.status]||reason(r.status,await r.text())));
say(done+await reload())}catch{say(failed+": "+WORDS[0])}};
$("mkdir").onclick=async()=>{const n=await dialog("New folder","","Create","");
if(n)act(fetch(here+encodeURIComponent(n)+"/",{method:"MKCOL"}),"Made "+n+"/","Could not make "+n+"/")};
$("list").addEventListener("click",async e=>{const b=e.target.closest(".e button");if(!b)return;
const a=b.closest(".e").querySelector("a"),label=a.textContent,folder=label.endsWith("/");
const url=here+a.getAttribute("href");
const old=folder?label.slice(0,-1):label,slash=folder?"/":"";
if(b.className==="rm"){
const sure=await dialog("Delete "+label+"?",folder?"The folder and everything in it will be deleted."
:"It cannot be brought back.","Delete",null);
if(sure!==null)act(fetch(url,{method:"DELETE"}),"Deleted "+label,"Could not delete "+label);return}
const n=await dialog("Rename "+label,"","Rename",old);if(n===null||n===old)return;
const destination=here+encodeURIComponent(n)+slash;
act(fetch(url,{method:"MOVE",headers:{destination,overwrite:"F"}}),"Renamed "+label+" to "+n+slash,
"Could not rename "+label,{412:n+slash+" exists"})})`;
