// Floor (issue 21): the least a Bun server must do per request if it never serves stale bytes,
// `Bun.serve` + `Bun.file` with `exists()`. Per request: `decodeURIComponent` of the path,
// `Bun.file(ROOT + path)`, `await file.exists()` (one stat, checked with strace: `size` and
// `lastModified` are then read from it without another call; false for a folder, so a folder is a
// 404), an ETag `"<mtime ms base36>-<size base36>"` and Last-Modified from that stat, a 304 when
// If-None-Match equals the ETag, else `new Response(file)`, which Bun opens and sends itself with its
// own Content-Length and Content-Type. No containment check, no ranges of its own.
//
// Not the `bun-ceiling` peer: that one compares If-None-Match with ETags computed once at start-up,
// so its 304 never touches the disk and goes stale when a file changes; here every answer stats
// the file first. For 1 KiB and the 404 the two do the same system calls.
// usage: bun bun-file-floor.mjs ROOT PORT
const [root, port] = Bun.argv.slice(2);

Bun.serve({
  hostname: "127.0.0.1",
  port: Number(port),
  async fetch(req) {
    const url = req.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const query = url.indexOf("?", start);
    let path;
    try {
      path = decodeURIComponent(query < 0 ? url.slice(start) : url.slice(start, query));
    } catch {
      return new Response("Not Found", { status: 404 });
    }
    const file = Bun.file(root + path);
    if (!(await file.exists())) return new Response("Not Found", { status: 404 });
    const mtime = file.lastModified;
    const etag = `"${mtime.toString(36)}-${file.size.toString(36)}"`;
    const lastModified = new Date(mtime).toUTCString();
    if (req.headers.get("if-none-match") === etag)
      return new Response(null, { status: 304, headers: { etag, "last-modified": lastModified } });
    return new Response(file, { headers: { etag, "last-modified": lastModified } });
  },
});
