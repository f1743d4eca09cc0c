// Floor (issue 21): node-file-floor.mjs on Deno. Per request: `decodeURIComponent` of the path,
// `Deno.openSync`, `file.statSync()` (404 if either throws or the path is not a file), an ETag
// `"<mtime ms base36>-<size base36>"` and Last-Modified from that one stat, a 304 when If-None-Match
// equals the ETag, else `file.readSync` of the whole file into a fresh Uint8Array, answered with
// Content-Length, Content-Type, ETag and Last-Modified; `file.close()` in `finally`. No containment
// check, no MIME table, no ranges. simplehttp on Deno ÷ this is issue 21's ratio.
// usage: deno run --allow-net --allow-read deno-file-floor.mjs ROOT PORT
const [root, port] = Deno.args;
const notFound = () => new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });

/** The file whole, read into a Uint8Array of its own (a short read, as of a file that shrank, ends it). */
function readWhole(file, size) {
  const body = new Uint8Array(size);
  let got = 0;
  while (got < size) {
    const n = file.readSync(body.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return got === size ? body : body.subarray(0, got);
}

Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen() {} }, (req) => {
  // The path from the URL Deno built: after the authority, up to a query.
  const url = req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const query = url.indexOf("?", start);
  let file;
  try {
    file = Deno.openSync(root + decodeURIComponent(query < 0 ? url.slice(start) : url.slice(start, query)));
  } catch {
    return notFound();
  }
  try {
    let stats;
    try {
      stats = file.statSync();
    } catch {
      return notFound();
    }
    if (!stats.isFile) return notFound();
    const mtime = stats.mtime.getTime();
    const etag = `"${mtime.toString(36)}-${stats.size.toString(36)}"`;
    const lastModified = stats.mtime.toUTCString();
    if (req.headers.get("if-none-match") === etag)
      return new Response(null, { status: 304, headers: { etag, "last-modified": lastModified } });
    const body = readWhole(file, stats.size);
    return new Response(body, {
      headers: {
        "content-length": String(body.length),
        "content-type": "application/octet-stream",
        etag,
        "last-modified": lastModified,
      },
    });
  } finally {
    file.close();
  }
});
