// Floor (issue 21): the least a Node server must do per request if it never serves stale bytes. Per
// request: `decodeURIComponent` of the path, `openSync`, `fstatSync` (404 if either throws or the path
// is not a file), an ETag `"<mtimeMs base36>-<size base36>"` and Last-Modified from that one fstat, a
// 304 when If-None-Match equals the ETag, else `readSync` of the whole file into a fresh buffer and
// `res.end(body)` with Content-Length, Content-Type, ETag and Last-Modified; `closeSync` in `finally`.
// No containment check (a `..` walks out of ROOT: do not serve anything with it), no MIME table (one
// Content-Type for every file), no ranges. The validators and the bytes come from the same open file,
// so what it answers is never older than the request. simplehttp on Node ÷ this is issue 21's ratio.
// usage: node node-file-floor.mjs ROOT PORT
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import http from "node:http";

const [root, port] = process.argv.slice(2);
const NOT_FOUND = Buffer.from("Not Found");

function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain", "content-length": NOT_FOUND.length });
  res.end(NOT_FOUND);
}

/** The file whole, read from `fd` into a buffer of its own (a short read, as of a file that shrank, ends it). */
function readWhole(fd, size) {
  const body = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, body, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return got === size ? body : body.subarray(0, got);
}

function answer(req, res) {
  const target = req.url;
  const query = target.indexOf("?");
  let fd = -1;
  try {
    let stats;
    try {
      fd = openSync(root + decodeURIComponent(query < 0 ? target : target.slice(0, query)), "r");
      stats = fstatSync(fd);
    } catch {
      notFound(res);
      return;
    }
    if (!stats.isFile()) {
      notFound(res);
      return;
    }
    const etag = `"${stats.mtimeMs.toString(36)}-${stats.size.toString(36)}"`;
    const lastModified = new Date(stats.mtimeMs).toUTCString();
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag, "last-modified": lastModified });
      res.end();
      return;
    }
    const body = readWhole(fd, stats.size);
    res.writeHead(200, {
      "content-length": body.length,
      "content-type": "application/octet-stream",
      etag,
      "last-modified": lastModified,
    });
    res.end(body);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

http.createServer(answer).listen(Number(port), "127.0.0.1");
