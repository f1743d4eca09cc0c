// The S3 server of the storage scenario: simplehttp's Node adapter serving a bucket,
// `serve({ fs: s3FileSystem(…) })`, with a `fetch` that counts every request to the store.
// The counts are on a second port, so that the served site stays as it is: GET /stats answers
// {requests, calls, recent} (recent: the last calls, `GET /bucket/key?query`), ?reset zeroes them.
// usage: node s3-node.mjs ENDPOINT BUCKET PORT STATS_PORT
import http from "node:http";
import { serve } from "@simplehttp/node";
import { s3FileSystem } from "@simplehttp/s3";

const [endpoint, bucket, port, statsPort] = process.argv.slice(2);
let requests = 0,
  calls = 0;
let recent = [];
const counting = (input, init) => {
  calls++;
  const u = new URL(input);
  recent.push(`${init?.method ?? "GET"} ${decodeURIComponent(u.pathname)}${u.search}`);
  if (recent.length > 50) recent.shift();
  return fetch(input, init);
};
// moto takes any keys while its signature checks are off (its default).
const fs = s3FileSystem({
  bucket,
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "bench", secretAccessKey: "bench-secret" },
  fetch: counting,
});
await serve({ fs, port: Number(port), hostname: "127.0.0.1", onRequest: () => requests++ });
http
  .createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ requests, calls, recent }));
    if (req.url.includes("reset")) {
      requests = 0;
      calls = 0;
      recent = [];
    }
  })
  .listen(Number(statsPort), "127.0.0.1");
