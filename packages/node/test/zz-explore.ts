import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "/work/main/packages/node/src/index.ts";
import { rawGet, rawRequest } from "/work/main/packages/node/test/raw-http.ts";
const parent = mkdtempSync(join(tmpdir(), "x-"));
const root = join(parent, "root");
mkdirSync(join(root, "evil.example/dir"), { recursive: true });
writeFileSync(join(parent, "secret"), "SECRET");
writeFileSync(join(root, "a.txt"), "hello\n");
writeFileSync(join(root, "empty.txt"), "");
writeFileSync(join(root, "big.bin"), Buffer.alloc(3*1024*1024, 7));
const s = await serve({ root, port: 0, hostname: "127.0.0.1", onRequest: (e) => console.log("LOG", JSON.stringify(e)) });
for (const t of ["/../secret", "/%2e%2e/secret", "/%2E%2e/secret", "/..%2fsecret", "/%2fetc/passwd", "/a%5c..%5csecret", "/%00", "//evil.example/dir", "//evil.example/dir?q=1", "http://evil.example/../secret", "/a\\b", "/..\\secret", "/a.txt/", "*", "/%zz", "/empty.txt"]) {
  try { const r = await rawGet(s.port, t); console.log(JSON.stringify(t), r.status, JSON.stringify(r.headers), JSON.stringify(r.body.toString().slice(0,80))); } catch (e) { console.log(t, "ERR", e); }
}
const h = await rawRequest(s.port, "HEAD /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
console.log(h.status, h.headers, h.raw.length);
const h2 = await rawRequest(s.port, "HEAD /nothing HTTP/1.0\r\n\r\n");
console.log(h2.status, h2.headers, h2.raw.toString());
const b = await rawGet(s.port, "/big.bin"); console.log(b.status, b.headers, b.body.length);
await s.close();
