// Storage (issue 15): simplehttp over object storage, requests per second and storage calls per
// request for a 1 KiB file, a 304, a 404 and a 1,000-key listing: R2 in Miniflare (the worker of
// bench/peers/r2-worker.mjs) and S3 against moto (Node's serve() with s3FileSystem, bench/peers/
// s3-node.mjs). The calls are counted inside the server, by a wrapper around the R2 binding or
// around the `fetch` s3FileSystem is given, and read back between runs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CLIENT_CPU } from "./load.mjs";
import { freePort, pinned, startGroup, stopGroup } from "./proc.mjs";
import { median } from "./report.mjs";
import { get, load } from "./scenarios.mjs";
import { startServer } from "./servers.mjs";

const BUCKET = "simplehttp-bench";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SCENARIOS = [
  {
    id: "1k",
    title: "1 KiB file",
    path: "/1k.bin",
    check: async (srv, fx) => {
      const r = await get(srv.port, "/1k.bin");
      return r.status !== 200
        ? `status ${r.status}`
        : r.body.equals(fx.files["/1k.bin"])
          ? null
          : `body of ${r.length} bytes differs`;
    },
  },
  {
    id: "304",
    title: "304 (If-None-Match)",
    path: "/1k.bin",
    async check(srv) {
      const etag = (await get(srv.port, "/1k.bin")).headers?.etag;
      if (!etag) return "sends no ETag";
      this.headers = { "If-None-Match": etag };
      const r = await get(srv.port, "/1k.bin", this.headers);
      return r.status !== 304
        ? `status ${r.status} for its own ETag`
        : r.length
          ? `304 with a body of ${r.length} bytes`
          : null;
    },
  },
  {
    id: "404",
    title: "404",
    path: "/no-such-file.txt",
    expectBad: true,
    check: async (srv) => {
      const r = await get(srv.port, "/no-such-file.txt");
      return r.status === 404 ? null : `status ${r.status}, want 404`;
    },
  },
  {
    id: "listing",
    title: "1,000-key listing",
    path: "/dir/",
    async check(srv, fx) {
      const r = await get(srv.port, "/dir/");
      if (r.status !== 200) return `status ${r.status}`;
      const text = r.body.toString("utf8");
      const missing = fx.listing.names.filter((n) => !text.includes(n)).length;
      return missing ? `the listing lacks ${missing} of ${fx.listing.names.length} keys` : null;
    },
  },
];

const getJson = (url) =>
  new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let s = "";
        res.on("data", (d) => (s += d));
        res.on("end", () => {
          try {
            resolve(JSON.parse(s));
          } catch (e) {
            reject(e);
          }
        });
      })
      .on("error", reject)
      .setTimeout(10_000, function () {
        this.destroy(new Error("stats: no answer"));
      });
  });

/** moto's server: MOTO_SERVER, else a pyenv Python's moto_server (where this kind of machine has it), else null. */
function findMoto() {
  if (process.env.MOTO_SERVER && existsSync(process.env.MOTO_SERVER)) return [process.env.MOTO_SERVER, []];
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  try {
    for (const v of readdirSync(versions).sort().reverse()) {
      if (existsSync(join(versions, v, "bin/moto_server")))
        return [join(versions, v, "bin/python3"), ["-m", "moto.server"]];
    }
  } catch {
    /* no pyenv */
  }
  return null;
}

async function startMoto(_ctx) {
  const found = findMoto();
  if (!found) return null;
  const port = await freePort();
  // On the client CPU with wrk: the server under test keeps CPU 0 to itself, as in every scenario.
  const child = startGroup(...pinned(CLIENT_CPU, found[0], [...found[1], "-H", "127.0.0.1", "-p", String(port)]), {
    stdio: "ignore",
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((res) =>
      http
        .get(`${endpoint}/`, (r) => {
          r.resume();
          res(true);
        })
        .on("error", () => res(false)),
    );
    if (up) return { endpoint, child, version: found.join(" ") };
    await sleep(200);
  }
  await stopGroup(child);
  throw new Error("moto did not answer within 20 s");
}

/**
 * Creates the bucket and puts the fixture's small files and dir/'s 1,000 files, signed with
 * aws4fetch (as packages/s3 signs).
 */
async function seedS3(ctx, endpoint) {
  const require = createRequire(join(ctx.root, "packages/s3/package.json"));
  const { AwsClient } = await import(pathToFileURL(require.resolve("aws4fetch")).href);
  const aws = new AwsClient({
    accessKeyId: "bench",
    secretAccessKey: "bench-secret",
    region: "us-east-1",
    service: "s3",
    retries: 0,
  });
  const ok = async (res, what) => {
    if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  await ok(await aws.fetch(`${endpoint}/${BUCKET}`, { method: "PUT" }), "create bucket");
  const { fixture } = ctx;
  const objects = [
    ["1k.bin", fixture.files["/1k.bin"]],
    ["64k.bin", fixture.files["/64k.bin"]],
    ...fixture.listing.names.map((n) => [`dir/${n}`, readFileSync(join(fixture.listing.dir, n))]),
  ];
  const queue = [...objects];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let o = queue.shift(); o; o = queue.shift()) {
        await ok(
          await aws.fetch(`${endpoint}/${BUCKET}/${o[0]}`, {
            method: "PUT",
            body: o[1],
            headers: { "content-type": "binary/octet-stream" },
          }),
          `put ${o[0]}`,
        );
      }
    }),
  );
}

export async function storagePart(ctx) {
  const { fixture, cfg, log, logDir, root, bench } = ctx;
  const out = {
    config: { connections: cfg.storageConnections, seconds: cfg.duration, rounds: cfg.rounds },
    backends: [],
  };
  const miniflare = join(root, "node_modules/miniflare/package.json");
  out.miniflare = existsSync(miniflare) ? JSON.parse(readFileSync(miniflare, "utf8")).version : null;
  const backends = [];
  if (out.miniflare && existsSync(join(root, "packages/r2/dist/index.js"))) {
    backends.push({
      name: "r2",
      label: "R2 (Miniflare), the worker's handler",
      stats: (srv) => `${srv.base}/__bench/stats`,
      def: {
        name: "r2-miniflare",
        label: "R2 worker in Miniflare",
        startMs: 120_000,
        cmd: (p) => [process.execPath, [join(bench, "peers/r2-miniflare.mjs"), fixture.root, String(p)]],
      },
    });
  } else ctx.skipped.push("storage R2: miniflare or packages/r2/dist missing (pnpm install, tsc -b)");
  let moto = null;
  if (!existsSync(join(root, "packages/s3/dist/index.js")))
    ctx.skipped.push("storage S3: packages/s3/dist missing (tsc -b)");
  else {
    moto = await startMoto(ctx).catch((e) => {
      ctx.skipped.push(`storage S3: ${e.message}`);
      return null;
    });
    if (!moto) {
      if (!findMoto()) ctx.skipped.push("storage S3: no moto (MOTO_SERVER, or moto_server in a pyenv Python)");
    } else {
      try {
        await seedS3(ctx, moto.endpoint);
        out.moto = moto.version;
        const statsPort = await freePort();
        backends.push({
          name: "s3",
          label: "S3 (moto), Node's serve({ fs: s3FileSystem })",
          stats: () => `http://127.0.0.1:${statsPort}/stats`,
          def: {
            name: "s3-node",
            label: "S3 on Node",
            startMs: 30_000,
            cmd: (p) => [
              process.execPath,
              [join(bench, "peers/s3-node.mjs"), moto.endpoint, BUCKET, String(p), String(statsPort)],
            ],
          },
        });
      } catch (e) {
        ctx.skipped.push(`storage S3: seeding moto failed: ${e.message.slice(0, 200)}`);
      }
    }
  }
  const lctx = { ...ctx, cfg: { ...cfg, connections: cfg.storageConnections } };
  try {
    for (const b of ctx.pick(backends)) {
      const row = { name: b.name, label: b.label, scenarios: [] };
      out.backends.push(row);
      log(`storage: ${b.label}`);
      const results = Object.fromEntries(SCENARIOS.map((s) => [s.id, []]));
      const calls = {};
      for (let round = 0; round < cfg.rounds; round++) {
        let srv;
        try {
          srv = await startServer(b.def, { cwd: fixture.root, logDir });
        } catch (e) {
          row.error = e.message.slice(0, 300);
          log(`  ${row.error}`);
          break;
        }
        try {
          for (const sc of SCENARIOS) {
            const wrong = await sc.check(srv, fixture);
            if (wrong) {
              results[sc.id].push({ status: "fail", note: wrong });
              log(`  ${sc.id}: fail: ${wrong}`);
              continue;
            }
            // One request alone, for the list of calls it makes.
            await getJson(`${b.stats(srv)}?reset`);
            await get(srv.port, sc.path, sc.headers ?? {});
            calls[sc.id] ??= (await getJson(b.stats(srv))).recent;
            const before = await getJson(b.stats(srv));
            const m = await load(srv, lctx, sc.path, { headers: sc.headers ?? {}, expectBad: sc.expectBad });
            const after = await getJson(b.stats(srv));
            if (m.fail) {
              results[sc.id].push({ status: "fail", note: m.fail });
              log(`  ${sc.id}: fail: ${m.fail}`);
              continue;
            }
            const perRequest = (after.calls - before.calls) / Math.max(1, after.requests - before.requests);
            results[sc.id].push({
              status: "ok",
              value: m.value,
              p99: m.p99,
              cpuUs: m.extra.cpuUs,
              callsPerRequest: perRequest,
              speed: m.extra.speed,
            });
            log(
              `  ${sc.id.padEnd(8)} ${m.value.toFixed(0)} req/s, p99 ${m.p99?.toFixed(2)} ms, ` +
                `${perRequest.toFixed(2)} calls/request (${calls[sc.id].join(", ") || "none"})`,
            );
          }
        } finally {
          await srv.stop();
        }
      }
      for (const sc of SCENARIOS) {
        const ok = results[sc.id].filter((r) => r.status === "ok");
        row.scenarios.push({
          id: sc.id,
          title: sc.title,
          runs: results[sc.id],
          calls: calls[sc.id] ?? null,
          median: median(ok.map((r) => r.value)),
          min: ok.length ? Math.min(...ok.map((r) => r.value)) : null,
          max: ok.length ? Math.max(...ok.map((r) => r.value)) : null,
          p99: median(ok.map((r) => r.p99).filter((x) => x != null)),
          cpuUs: median(ok.map((r) => r.cpuUs).filter((x) => x != null)),
          callsPerRequest: median(ok.map((r) => r.callsPerRequest)),
          note: results[sc.id].find((r) => r.status === "fail")?.note ?? null,
        });
      }
    }
  } finally {
    if (moto) await stopGroup(moto.child);
  }
  return out;
}
