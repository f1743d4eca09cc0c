// Ceiling: the least JS a Bun static server can run, Bun.serve + Bun.file (Bun itself answers ranges and
// sends the file with sendfile). It has no listings and no validators, so no 304s.
// usage: bun bun-ceiling.mjs ROOT PORT
const [root, port] = Bun.argv.slice(2);
Bun.serve({
  hostname: "127.0.0.1",
  port: Number(port),
  async fetch(req) {
    const file = Bun.file(root + decodeURIComponent(new URL(req.url).pathname));
    if (!(await file.exists())) return new Response("Not Found", { status: 404 });
    return new Response(file);
  },
});
