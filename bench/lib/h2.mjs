// HTTP/2 over TLS (issue 15): h2load against simplehttp on Node and Deno with a certificate, and
// against Caddy (h2 by default) and nginx (`http2`), in the same rounds; plus Node's and Deno's
// HTTP/1.1 over the same TLS, so that "h2 is not slower than HTTP/1.1 over TLS" can be checked on
// the same server process. Bun is left out: Bun.serve 1.4 speaks HTTP/1.1 only, over TLS too.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import https from "node:https";
import { join } from "node:path";
import { CLIENT_CPU } from "./load.mjs";
import { hasCommand, pinned, run, tree, treeCpuSeconds, waitQuiet } from "./proc.mjs";
import { median } from "./report.mjs";
import {
  commandVersion,
  DENO_RUN,
  findNginx,
  nginxConfig,
  nginxHttp2On,
  nginxVersion,
  ourServers,
  SERVER_CPU,
  startServer,
} from "./servers.mjs";

/** A P-256 certificate for 127.0.0.1 from Debian's openssl (as the issue suggests), or null without openssl. */
export function makeCertificate(dir) {
  if (!hasCommand("openssl")) return null;
  const cert = join(dir, "cert.pem"),
    key = join(dir, "key.pem");
  const r = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-days",
      "1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { encoding: "utf8" },
  );
  return r.status === 0 ? { cert, key } : null;
}

function caddyfile(fixture, port, tls) {
  const dir = join(fixture.base, "caddy");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `Caddyfile-${port}`);
  // admin off: no API port; auto_https off: no redirect listener on :80 and no ACME, the given
  // certificate only; protocols h1 h2: no HTTP/3 listener on UDP.
  writeFileSync(
    path,
    `{
	admin off
	auto_https off
	servers {
		protocols h1 h2
	}
}
https://127.0.0.1:${port} {
	tls ${tls.cert} ${tls.key}
	root * ${fixture.root}
	file_server browse
}
`,
  );
  return path;
}

/** The servers of this part; each row says which protocols it is measured with. */
function h2Servers(ctx, tls) {
  const { fixture, root, skipped } = ctx;
  const list = ourServers({ root, dir: fixture.root, args: ["--tls-cert", tls.cert, "--tls-key", tls.key] })
    .filter((s) => s.runtime !== "Bun")
    .map((s) => ({ ...s, tls: true, protocols: ["h2", "h1"] }));
  // The ceilings over TLS (bench/peers/*-ceiling.mjs with a certificate): bytes and the range from
  // memory, so that a slow figure can be told apart as the runtime's or the adapter's.
  const env = { CEILING_TLS_CERT: tls.cert, CEILING_TLS_KEY: tls.key };
  const deno = join(root, "node_modules/deno/deno");
  list.push({
    name: "node-ceiling",
    label: "node:http2 secure server, bytes from memory (ceiling)",
    kind: "ceiling",
    runtime: "Node",
    tls: true,
    protocols: ["h2", "h1"],
    env,
    version: `Node ${process.versions.node}`,
    cmd: (p) => [process.execPath, [join(ctx.bench, "peers/node-ceiling.mjs"), fixture.root, String(p)]],
  });
  if (existsSync(deno)) {
    list.push({
      name: "deno-ceiling",
      label: "Deno.serve with TLS, bytes from memory (ceiling)",
      kind: "ceiling",
      runtime: "Deno",
      tls: true,
      protocols: ["h2", "h1"],
      env,
      version: commandVersion(deno, ["--version"]).replace(/ \(.*/, "").replace("deno", "Deno"),
      cmd: (p) => [deno, [...DENO_RUN, join(ctx.bench, "peers/deno-ceiling.mjs"), fixture.root, String(p)]],
    });
  }
  if (hasCommand("caddy")) {
    const env = { XDG_DATA_HOME: join(fixture.base, "caddy"), XDG_CONFIG_HOME: join(fixture.base, "caddy") };
    list.push({
      name: "caddy",
      label: "Caddy file_server",
      kind: "peer",
      runtime: "Go",
      tls: true,
      protocols: ["h2"],
      env,
      version: commandVersion("caddy", ["version"]).split(" ")[0],
      cmd: (p) => ["caddy", ["run", "--config", caddyfile(fixture, p, tls), "--adapter", "caddyfile"]],
    });
  } else skipped.push("Caddy: not installed (apt-get install caddy)");
  const nginx = findNginx();
  if (nginx) {
    const v = nginxVersion(nginx);
    list.push({
      name: "nginx",
      label: `nginx (1 worker, ${nginxHttp2On(v) ? "http2 on" : "listen … ssl http2"})`,
      kind: "peer",
      runtime: "nginx",
      tls: true,
      protocols: ["h2"],
      version: `nginx ${v.join(".")}`,
      cmd: (p) => [
        nginx,
        ["-c", nginxConfig(fixture, p, { tls, v }), "-p", join(fixture.base, "nginx"), "-e", "stderr"],
      ],
    });
  } else skipped.push("nginx: not installed (apt-get install nginx-light)");
  return list;
}

const h2get = (port, path, headers = {}) =>
  new Promise((resolve) => {
    const client = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
    client.on("error", (e) => resolve({ status: 0, error: String(e) }));
    const req = client.request({ ":path": path, ...headers });
    const chunks = [];
    let head = null;
    req.on("response", (h) => (head = h));
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      resolve({
        status: head?.[":status"] ?? 0,
        headers: head ?? {},
        body: Buffer.concat(chunks),
        alpn: client.alpnProtocol,
      });
      client.close();
    });
    req.on("error", (e) => {
      resolve({ status: 0, error: String(e) });
      client.close();
    });
    req.setTimeout(10_000, () => req.close());
  });

const h1get = (port, path, headers = {}) =>
  new Promise((resolve) => {
    const req = https.get(
      { host: "127.0.0.1", port, path, headers, agent: false, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks),
            alpn: res.socket.alpnProtocol || "http/1.1",
          }),
        );
      },
    );
    req.on("error", (e) => resolve({ status: 0, error: String(e) }));
    req.setTimeout(10_000, () => req.destroy());
  });

const SCENARIOS = [
  {
    id: "1k",
    title: "1 KiB file",
    request: () => ({ path: "/1k.bin", headers: {} }),
    check: (r, fx) =>
      r.status !== 200
        ? `status ${r.status}${r.error ? ` ${r.error}` : ""}, want 200`
        : !r.body.equals(fx.files["/1k.bin"])
          ? `body of ${r.body.length} bytes differs`
          : null,
  },
  {
    id: "range",
    title: "1,000-byte range of a 1 MiB file",
    request: (fx) => ({
      path: fx.range.path,
      headers: { range: `bytes=${fx.range.start}-${fx.range.start + fx.range.length - 1}` },
    }),
    check: (r, fx) => {
      const { start, length, size, bytes } = fx.range;
      if (r.status !== 206) return `status ${r.status}${r.error ? ` ${r.error}` : ""}, want 206`;
      if (!r.body.equals(bytes)) return `206 body of ${r.body.length} bytes differs from the range`;
      const cr = r.headers["content-range"];
      return cr === `bytes ${start}-${start + length - 1}/${size}` ? null : `Content-Range ${cr}`;
    },
  },
];

/** One h2load run: { rps, requests, succeeded, failed, status2xx, p50, p99, tls, alpn }. */
async function h2load({ url, protocol, seconds, headers, cfg, logFile }) {
  const args =
    protocol === "h2"
      ? ["-c", String(cfg.h2Connections), "-m", String(cfg.h2Streams)]
      : ["--h1", "-c", String(cfg.connections), "-m", "1"];
  args.push("-t", "1", "-D", String(seconds));
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  if (logFile) args.push(`--log-file=${logFile}`);
  args.push(url);
  const r = await run(...pinned(CLIENT_CPU, "h2load", args), { timeoutMs: (seconds + 30) * 1000 });
  const o = r.out;
  const rps = Number(o.match(/finished in [\d.]+s, ([\d.]+) req\/s/)?.[1]);
  const req = o.match(
    /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/,
  );
  const codes = o.match(/status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/);
  if (!Number.isFinite(rps) || !req) throw new Error(`h2load gave no result: ${o.slice(-300)} ${r.err.slice(-300)}`);
  let p50 = null,
    p99 = null;
  if (logFile && existsSync(logFile)) {
    // Columns: start (µs since the epoch), status, µs to the end of the response.
    const us = readFileSync(logFile, "utf8")
      .split("\n")
      .map((l) => Number(l.split("\t")[2]))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    if (us.length) {
      p50 = us[Math.floor(us.length * 0.5)] / 1000;
      p99 = us[Math.min(us.length - 1, Math.floor(us.length * 0.99))] / 1000;
    }
    rmSync(logFile, { force: true });
  }
  return {
    rps,
    requests: Number(req[4]),
    failed: Number(req[5]) + Number(req[6]) + Number(req[7]),
    status2xx: codes ? Number(codes[1]) : null,
    p50,
    p99,
    tls: `${o.match(/TLS Protocol: (\S+)/)?.[1] ?? "?"} ${o.match(/Cipher: (\S+)/)?.[1] ?? "?"}`,
    alpn: o.match(/Application protocol: (\S+)/)?.[1] ?? null,
  };
}

export async function h2Part(ctx) {
  const { fixture, cfg, gate, log, logDir } = ctx;
  const out = {
    servers: [],
    results: [],
    config: {
      connections: cfg.h2Connections,
      streams: cfg.h2Streams,
      h1Connections: cfg.connections,
      seconds: cfg.h2Seconds,
    },
  };
  if (!hasCommand("h2load")) {
    ctx.skipped.push("HTTP/2: h2load not installed (apt-get install nghttp2-client)");
    return out;
  }
  const tls = makeCertificate(fixture.base);
  if (!tls) {
    ctx.skipped.push("HTTP/2: openssl could not make a certificate");
    return out;
  }
  const servers = ctx.pick(h2Servers(ctx, tls));
  out.h2load = commandVersion("h2load", ["--version"]);
  out.servers = servers.map(({ name, label, version, protocols, kind, runtime }) => ({
    name,
    label,
    version,
    protocols,
    kind,
    runtime,
  }));
  for (let round = 0; round < cfg.rounds; round++) {
    const k = round % servers.length;
    const order = [...servers.slice(k), ...servers.slice(0, k)];
    log(`h2 round ${round + 1}/${cfg.rounds}: ${order.map((s) => s.name).join(", ")}`);
    for (const def of order) {
      let srv;
      try {
        srv = await startServer(def, { cwd: fixture.root, logDir });
      } catch (e) {
        out.results.push({ round, server: def.name, status: "fail", note: String(e.message).slice(0, 200) });
        log(`  ${def.name}: ${e.message.slice(0, 200)}`);
        continue;
      }
      try {
        for (const protocol of def.protocols) {
          for (const sc of SCENARIOS) {
            const row = { round, server: def.name, protocol, scenario: sc.id };
            const { path, headers } = sc.request(fixture);
            const answer = await (protocol === "h2" ? h2get : h1get)(srv.port, path, headers);
            const wrong =
              sc.check(answer, fixture) ??
              (protocol === "h2" && answer.alpn !== "h2" ? `ALPN gave ${answer.alpn}, not h2` : null);
            if (wrong) {
              out.results.push({ ...row, status: "fail", note: wrong });
              log(`  ${def.name.padEnd(16)} ${protocol} ${sc.id.padEnd(6)} fail: ${wrong}`);
              continue;
            }
            const url = `${srv.base}${path}`;
            const base = { url, protocol, headers, cfg };
            try {
              await waitQuiet(SERVER_CPU);
              await h2load({ ...base, seconds: cfg.warmupSeconds || 1 }); // warm-up, discarded
              const { speed, ...r } = await gate.gatedRun(async () => {
                const pids = tree(srv.pid);
                const before = treeCpuSeconds(pids);
                const res = await h2load({
                  ...base,
                  seconds: cfg.h2Seconds,
                  logFile: join(logDir, `h2load-${srv.port}.log`),
                });
                return { ...res, serverSeconds: treeCpuSeconds(pids) - before };
              });
              const cpuUs = r.requests ? (r.serverSeconds * 1e6) / r.requests : null;
              const bad = r.failed + (r.status2xx != null ? r.requests - r.status2xx : 0);
              if (bad > 0 || !r.requests) {
                out.results.push({
                  ...row,
                  status: "fail",
                  note: `${bad} of ${r.requests} requests failed or had a non-2xx status under load`,
                });
              } else {
                out.results.push({
                  ...row,
                  status: "ok",
                  value: r.rps,
                  p50: r.p50,
                  p99: r.p99,
                  cpuUs,
                  tls: r.tls,
                  alpn: r.alpn,
                  requests: r.requests,
                  speed,
                });
              }
              log(
                `  ${def.name.padEnd(16)} ${protocol} ${sc.id.padEnd(6)} ${r.rps.toFixed(0)} req/s, ` +
                  `p99 ${r.p99?.toFixed(2)} ms, ${cpuUs?.toFixed(0)} CPU µs/req (${r.alpn}, ${r.tls})`,
              );
            } catch (e) {
              out.results.push({ ...row, status: "fail", note: String(e.message).slice(0, 200) });
              log(`  ${def.name.padEnd(16)} ${protocol} ${sc.id.padEnd(6)} fail: ${e.message.slice(0, 200)}`);
            }
          }
        }
      } finally {
        await srv.stop();
      }
    }
  }
  out.summary = summarize(out);
  return out;
}

/** Medians per server × protocol × scenario, ratios to the best peer's h2, and Node's h2 ÷ its HTTP/1.1 over TLS. */
function summarize(out) {
  const rows = [];
  const keys = new Set(out.results.map((r) => `${r.server}|${r.protocol}|${r.scenario}`));
  for (const key of keys) {
    const [server, protocol, scenario] = key.split("|");
    const mine = out.results.filter((r) => r.server === server && r.protocol === protocol && r.scenario === scenario);
    const ok = mine.filter((r) => r.status === "ok");
    // Ratio to the best peer's h2 rate in the same round.
    const ratios = ok
      .map((r) => {
        const peers = out.results.filter(
          (p) =>
            p.round === r.round &&
            p.scenario === scenario &&
            p.protocol === "h2" &&
            p.status === "ok" &&
            (p.server === "caddy" || p.server === "nginx"),
        );
        const best = Math.max(...peers.map((p) => p.value));
        return peers.length ? r.value / best : null;
      })
      .filter((x) => x != null);
    // ÷ the runtime's TLS ceiling, same protocol, same round.
    const me = out.servers.find((x) => x.name === server);
    const ceiling =
      me?.kind === "ceiling" ? null : out.servers.find((x) => x.kind === "ceiling" && x.runtime === me?.runtime);
    const vsCeiling = !ceiling
      ? []
      : ok
          .map((r) => {
            const c = out.results.find(
              (p) =>
                p.round === r.round &&
                p.server === ceiling.name &&
                p.scenario === scenario &&
                p.protocol === protocol &&
                p.status === "ok",
            );
            return c ? r.value / c.value : null;
          })
          .filter((x) => x != null);
    // h2 ÷ the same server's HTTP/1.1 over TLS in the same round.
    const vsH1 =
      protocol !== "h2"
        ? []
        : ok
            .map((r) => {
              const h1 = out.results.find(
                (p) =>
                  p.round === r.round &&
                  p.server === server &&
                  p.scenario === scenario &&
                  p.protocol === "h1" &&
                  p.status === "ok",
              );
              return h1 ? r.value / h1.value : null;
            })
            .filter((x) => x != null);
    rows.push({
      server,
      protocol,
      scenario,
      status: ok.length ? (ok.length < mine.length ? "partial" : "ok") : "fail",
      note: mine.find((r) => r.status === "fail")?.note ?? null,
      median: median(ok.map((r) => r.value)),
      min: ok.length ? Math.min(...ok.map((r) => r.value)) : null,
      max: ok.length ? Math.max(...ok.map((r) => r.value)) : null,
      p50: median(ok.map((r) => r.p50).filter((x) => x != null)),
      p99: median(ok.map((r) => r.p99).filter((x) => x != null)),
      cpuUs: median(ok.map((r) => r.cpuUs).filter((x) => x != null)),
      ratioToBestPeer: median(ratios),
      ratioToCeiling: median(vsCeiling),
      h2OverH1: median(vsH1),
      h2OverH1Range: vsH1.length ? [Math.min(...vsH1), Math.max(...vsH1)] : null,
      tls: ok[0]?.tls ?? null,
    });
  }
  return rows;
}
