// Ceiling: the least JS a Bun static server can run, Bun.serve + Bun.file (Bun itself answers ranges
// and sends the file with sendfile), plus the bare 304 and 404 of issue 15: a 304 when If-None-Match
// is the ETag it sent (a string comparison, no disk: the ETags of the root's files are computed once
// at start-up), and a 404 after one `exists()` (a stat) when the file is not there. The ETag rides on
// every 200, as simplehttp's does, because a server that answers 304s must send validators. It has
// no listings.
// usage: bun bun-ceiling.mjs ROOT PORT
import { readdirSync, statSync } from "node:fs";

const [root, port] = Bun.argv.slice(2);
const etags = new Map();
for (const name of readdirSync(root)) {
  const st = statSync(`${root}/${name}`);
  if (st.isFile()) etags.set(`/${name}`, `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`);
}

Bun.serve({
  hostname: "127.0.0.1",
  port: Number(port),
  async fetch(req) {
    const path = decodeURIComponent(new URL(req.url).pathname);
    const etag = etags.get(path);
    if (etag !== undefined && req.headers.get("if-none-match") === etag)
      return new Response(null, { status: 304, headers: { etag } });
    const file = Bun.file(root + path);
    if (!(await file.exists())) return new Response("Not Found", { status: 404 });
    return etag === undefined ? new Response(file) : new Response(file, { headers: { etag } });
  },
});
