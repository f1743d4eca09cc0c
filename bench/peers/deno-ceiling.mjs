// Ceiling: the least a Deno server can do per request, Deno.serve answering the fixture's 1 KiB and
// 64 KiB files from Uint8Arrays read at start-up, a 304 when If-None-Match is the ETag it sent (a
// string comparison, no disk), and a bare 404 for every other path (issue 15).
//
// MODE picks how /64k.bin is sent, to find the best form Deno allows for a file of that size; the
// bench takes the best of the three in each round as Deno's 64 KiB ceiling:
//   memory   (default) the bytes read at start-up, the same Uint8Array each time
//   readfile a fresh Uint8Array per request: `await Deno.readFile(path)`
//   stream   the file's stream per request: `(await Deno.open(path)).readable`
// With CEILING_TLS_CERT and CEILING_TLS_KEY (PEM files) it serves HTTPS (HTTP/2 or HTTP/1.1 by ALPN),
// and answers the 1,000-byte range of the 1 MiB file from memory: the HTTP/2 scenario's ceiling.
// usage: deno run --allow-net --allow-read --allow-env deno-ceiling.mjs ROOT PORT [MODE]
const [root, port, mode = "memory"] = Deno.args;
const files = new Map();
for (const name of ["1k.bin", "64k.bin", "1m.bin"]) {
  const path = `${root}/${name}`;
  const body = Deno.readFileSync(path);
  const st = Deno.statSync(path);
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtime.getTime()).toString(16)}"`;
  files.set(`/${name}`, { path, body, etag, length: String(body.length) });
}
const cert = Deno.env.get("CEILING_TLS_CERT"),
  key = Deno.env.get("CEILING_TLS_KEY");
const tls = cert && key ? { cert: Deno.readTextFileSync(cert), key: Deno.readTextFileSync(key) } : {};

Deno.serve({ hostname: "127.0.0.1", port: Number(port), onListen() {}, ...tls }, async (req) => {
  // The path without a URL parse: the request line's target is all there is to it here.
  const url = req.url;
  const file = files.get(url.slice(url.indexOf("/", url.indexOf("//") + 2)));
  if (file === undefined) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
  if (req.headers.get("if-none-match") === file.etag)
    return new Response(null, { status: 304, headers: { etag: file.etag } });
  const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.get("range") ?? "");
  if (range) {
    const start = Number(range[1]),
      end = Math.min(Number(range[2]), file.body.length - 1);
    return new Response(file.body.subarray(start, end + 1), {
      status: 206,
      headers: {
        "content-type": "application/octet-stream",
        etag: file.etag,
        "content-range": `bytes ${start}-${end}/${file.body.length}`,
      },
    });
  }
  const headers = { "content-type": "application/octet-stream", "content-length": file.length, etag: file.etag };
  if (mode === "memory" || file.body.length !== 65536) return new Response(file.body, { headers });
  if (mode === "readfile") return new Response(await Deno.readFile(file.path), { headers });
  if (mode === "stream") return new Response((await Deno.open(file.path)).readable, { headers });
  throw new Error(`unknown mode ${mode}`);
});
