// Ceiling: the least a Node server can do per request. node:http answers the fixture's 1 KiB and
// 64 KiB files from buffers read at start-up, a 304 when If-None-Match is the ETag it sent (a string
// comparison, no disk), and a bare 404 for every other path. No server that reads the disk, checks
// validators against it or builds a Response can beat it on Node, so simplehttp's rate ÷ this one's
// is what the adapter and the core cost on top of the runtime (issue 15).
//
// With CEILING_TLS_CERT and CEILING_TLS_KEY (PEM files) it is the HTTPS ceiling of the HTTP/2 scenario
// instead: node:http2's secure server with allowHTTP1 (HTTP/2 or HTTP/1.1 by ALPN, as simplehttp's
// Node adapter), answering the 1,000-byte range of the 1 MiB file from memory too.
// usage: node node-ceiling.mjs ROOT PORT
import { readFileSync, statSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import { join } from "node:path";

const [root, port] = process.argv.slice(2);
const files = new Map();
for (const name of ["1k.bin", "64k.bin", "1m.bin"]) {
  const body = readFileSync(join(root, name));
  const st = statSync(join(root, name));
  // The same shape of validator simplehttp sends (size and mtime), computed once.
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  files.set(`/${name}`, {
    body,
    etag,
    head: { "content-type": "application/octet-stream", "content-length": body.length, etag },
  });
}
const NOT_FOUND = Buffer.from("Not Found");

function answer(req, res) {
  const file = files.get(req.url);
  if (file === undefined) {
    res.writeHead(404, { "content-type": "text/plain", "content-length": NOT_FOUND.length });
    res.end(NOT_FOUND);
    return;
  }
  if (req.headers["if-none-match"] === file.etag) {
    res.writeHead(304, { etag: file.etag });
    res.end();
    return;
  }
  const range = req.headers.range && /^bytes=(\d+)-(\d+)$/.exec(req.headers.range);
  if (range) {
    const start = Number(range[1]),
      end = Math.min(Number(range[2]), file.body.length - 1);
    res.writeHead(206, {
      "content-type": "application/octet-stream",
      "content-length": end - start + 1,
      etag: file.etag,
      "content-range": `bytes ${start}-${end}/${file.body.length}`,
    });
    res.end(file.body.subarray(start, end + 1));
    return;
  }
  res.writeHead(200, file.head);
  res.end(file.body);
}

const { CEILING_TLS_CERT: cert, CEILING_TLS_KEY: key } = process.env;
const server =
  cert && key
    ? http2.createSecureServer({ cert: readFileSync(cert), key: readFileSync(key), allowHTTP1: true }, answer)
    : http.createServer(answer);
server.listen(Number(port), "127.0.0.1");
