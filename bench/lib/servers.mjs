// The servers under test: simplehttp on three runtimes and the peers a user would pick instead.
// Each is started on 127.0.0.1 with a free port, pinned to CPU 0, in its own process group.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { join } from "node:path";
import { freePort, hasCommand, pinned, startGroup, stopGroup } from "./proc.mjs";

export const SERVER_CPU = 0;
const STD_FILE_SERVER = "jsr:@std/http@1/file-server";
/**
 * How every Deno server here runs: with the same permissions as ours, which users run with `-A`
 * (README). Deno checks a granular permission on each open and stat it makes: the floor serves a
 * 1 KiB file at some 19,000 req/s with `--allow-read` and 31,000 with `-A` (2026-12-06), so a peer
 * run with fewer permissions than ours would be handicapped by them, and our ratio flattered.
 */
export const DENO_RUN = ["run", "-A"];

const version = (file, args) => {
  const r = spawnSync(file, args, { encoding: "utf8" });
  return `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n")[0];
};
const pkgVersion = (bench, name) =>
  JSON.parse(readFileSync(join(bench, "node_modules", name, "package.json"), "utf8")).version;

// What the memory ceilings answer (issue 15); the Bun ceiling reads files, so it runs everywhere but the listing.
const CEILING_SCENARIOS = ["1k", "64k", "304", "404"];

/**
 * kind: "simplehttp" (ours), "peer", "ceiling" (the least a server can do on its runtime: not a
 * peer, since no one would serve a folder with it; each simplehttp figure is also given ÷ the
 * ceiling of its runtime) or "floor" (issue 21: the least a server must do per request if it never
 * serves stale bytes, peers/*-file-floor.mjs; each simplehttp figure is also given ÷ its runtime's
 * floor). runtime groups peers for the same-runtime ratios.
 * listing: the server has directory listings (others are n/a in that scenario).
 * scenarios: the only scenarios the server takes part in (others are left out, not n/a).
 */
export function defineServers({ root: repo, bench, fixture, only }) {
  const node = process.execPath;
  const bun = join(repo, "node_modules/bun/bin/bun.exe");
  const deno = join(repo, "node_modules/deno/deno");
  const cli = join(repo, "packages/cli/bin/simplehttp.js");
  const nm = join(bench, "node_modules");
  const dir = fixture.root;
  const ours = (port) => [String(port), "-b", "127.0.0.1", "-d", dir, "-q"];
  const skipped = [];
  const list = [];

  list.push({
    name: "simplehttp-node",
    label: "simplehttp (Node)",
    kind: "simplehttp",
    runtime: "Node",
    listing: true,
    version: `Node ${process.versions.node}`,
    cmd: (p) => [node, [cli, ...ours(p)]],
  });
  if (existsSync(bun)) {
    const v = version(bun, ["--version"]);
    list.push(
      {
        name: "simplehttp-bun",
        label: "simplehttp (Bun)",
        kind: "simplehttp",
        runtime: "Bun",
        listing: true,
        version: `Bun ${v}`,
        cmd: (p) => [bun, [cli, ...ours(p)]],
      },
      {
        name: "bun-ceiling",
        label: "Bun.serve + Bun.file (ceiling)",
        kind: "ceiling",
        runtime: "Bun",
        listing: false,
        scenarios: ["1k", "64k", "100m", "404", "304", "range", "slow"],
        version: `Bun ${v}`,
        cmd: (p) => [bun, [join(bench, "peers/bun-ceiling.mjs"), dir, String(p)]],
      },
    );
  } else
    skipped.push(
      "simplehttp (Bun) and the Bun.serve ceiling: node_modules/bun/bin/bun.exe is missing (run pnpm install)",
    );
  if (existsSync(deno)) {
    const v = version(deno, ["--version"]).replace(/ \(.*/, "").replace("deno", "Deno");
    const denoCeiling = (mode) => (p) => [
      deno,
      [...DENO_RUN, join(bench, "peers/deno-ceiling.mjs"), dir, String(p), mode],
    ];
    list.push(
      {
        name: "simplehttp-deno",
        label: "simplehttp (Deno)",
        kind: "simplehttp",
        runtime: "Deno",
        listing: true,
        version: v,
        cmd: (p) => [deno, [...DENO_RUN, cli, ...ours(p)]],
      },
      {
        name: "deno-ceiling",
        label: "Deno.serve, bytes from memory (ceiling)",
        kind: "ceiling",
        runtime: "Deno",
        listing: false,
        scenarios: CEILING_SCENARIOS,
        version: v,
        cmd: denoCeiling("memory"),
      },
      // The other forms Deno allows for a 64 KiB file; the best of all three is Deno's 64 KiB ceiling.
      {
        name: "deno-ceiling-readfile",
        label: "Deno.serve + Deno.readFile per request (64 KiB ceiling)",
        kind: "ceiling",
        runtime: "Deno",
        listing: false,
        scenarios: ["64k"],
        version: v,
        cmd: denoCeiling("readfile"),
      },
      {
        name: "deno-ceiling-stream",
        label: "Deno.serve + Deno.open().readable (64 KiB ceiling)",
        kind: "ceiling",
        runtime: "Deno",
        listing: false,
        scenarios: ["64k"],
        version: v,
        cmd: denoCeiling("stream"),
      },
    );
  } else
    skipped.push("simplehttp (Deno) and the Deno.serve ceilings: node_modules/deno/deno is missing (run pnpm install)");

  list.push(...floorServers({ node, bun, deno, bench, dir }));
  list.push(
    {
      name: "node-ceiling",
      label: "node:http, bytes from memory (ceiling)",
      kind: "ceiling",
      runtime: "Node",
      listing: false,
      scenarios: CEILING_SCENARIOS,
      version: `Node ${process.versions.node}`,
      cmd: (p) => [node, [join(bench, "peers/node-ceiling.mjs"), dir, String(p)]],
    },
    {
      name: "sirv",
      label: "sirv-cli --etag",
      kind: "peer",
      runtime: "Node",
      listing: false,
      version: `sirv-cli ${pkgVersion(bench, "sirv-cli")}`,
      cmd: (p) => [
        node,
        [join(nm, "sirv-cli/bin.js"), dir, "--host", "127.0.0.1", "--port", String(p), "--quiet", "--etag"],
      ],
    },
    {
      name: "serve",
      label: "serve",
      kind: "peer",
      runtime: "Node",
      listing: true,
      version: `serve ${pkgVersion(bench, "serve")}`,
      cmd: (p) => [
        node,
        [join(nm, "serve/build/main.js"), "-l", `tcp://127.0.0.1:${p}`, "-L", "-n", "--no-port-switching", dir],
      ],
    },
    {
      name: "http-server",
      label: "http-server",
      kind: "peer",
      runtime: "Node",
      listing: true,
      version: `http-server ${pkgVersion(bench, "http-server")}`,
      cmd: (p) => [node, [join(nm, "http-server/bin/http-server"), dir, "-a", "127.0.0.1", "-p", String(p), "-s"]],
    },
    {
      name: "hono",
      label: "hono serveStatic (@hono/node-server)",
      kind: "peer",
      runtime: "Node",
      listing: false,
      version: `hono ${pkgVersion(bench, "hono")}, @hono/node-server ${pkgVersion(bench, "@hono/node-server")}`,
      cmd: (p) => [node, [join(bench, "peers/hono-static.mjs"), dir, String(p)]],
    },
  );

  if (hasCommand("python3")) {
    list.push({
      name: "python",
      label: "python3 -m http.server",
      kind: "peer",
      runtime: "Python",
      listing: true,
      version: version("python3", ["--version"]),
      cmd: (p) => ["python3", ["-m", "http.server", String(p), "--bind", "127.0.0.1", "--directory", dir]],
    });
  } else skipped.push("python3 -m http.server: no python3 on this machine");

  const nginxBin = findNginx();
  if (nginxBin) {
    list.push({
      name: "nginx",
      label: "nginx (1 worker, sendfile)",
      kind: "peer",
      runtime: "nginx",
      listing: true,
      version: version(nginxBin, ["-v"]).replace("nginx version: ", ""),
      cmd: (p) => [nginxBin, ["-c", nginxConfig(fixture, p), "-p", join(fixture.base, "nginx"), "-e", "stderr"]],
    });
  } else skipped.push("nginx: not installed (apt-get install nginx-light)");

  // Deno std's file_server is the Deno peer issue 6 names. It comes from jsr.io at run time: cached
  // first, so that a machine without jsr.io skips it instead of timing out at every start.
  if (existsSync(deno) && (!only || only.includes("deno-std"))) {
    const cached = spawnSync(deno, ["cache", STD_FILE_SERVER], { encoding: "utf8", timeout: 120_000 });
    if (cached.status === 0) {
      list.push({
        name: "deno-std",
        label: "Deno std file_server",
        kind: "peer",
        runtime: "Deno",
        listing: true,
        version: `${STD_FILE_SERVER} on ${version(deno, ["--version"]).replace(/ \(.*/, "").replace("deno", "Deno")}`,
        cmd: (p) => [deno, [...DENO_RUN, STD_FILE_SERVER, dir, "--host", "127.0.0.1", "--port", String(p)]],
      });
    } else {
      skipped.push(
        `Deno std file_server: \`deno cache ${STD_FILE_SERVER}\` failed (jsr.io unreachable from this machine?)`,
      );
    }
  }

  const chosen = only ? list.filter((s) => only.includes(s.name)) : list;
  return { servers: chosen, skipped };
}

/**
 * The floors of issue 21, one per runtime found (bench/peers/*-file-floor.mjs): each opens and stats
 * the file per request, answers a 304 from that stat and reads the whole file for a 200. They take
 * part in the scenarios a ceiling does; a range or a listing is not theirs to answer.
 */
function floorServers({ node, bun, deno, bench, dir }) {
  const peer = (name) => join(bench, "peers", name);
  const out = [
    {
      name: "node-file-floor",
      label: "node:http, open + fstat + read per request (floor)",
      kind: "floor",
      runtime: "Node",
      listing: false,
      scenarios: CEILING_SCENARIOS,
      version: `Node ${process.versions.node}`,
      cmd: (p) => [node, [peer("node-file-floor.mjs"), dir, String(p)]],
    },
  ];
  if (existsSync(bun))
    out.push({
      name: "bun-file-floor",
      label: "Bun.serve + Bun.file, exists() per request (floor)",
      kind: "floor",
      runtime: "Bun",
      listing: false,
      scenarios: CEILING_SCENARIOS,
      version: `Bun ${version(bun, ["--version"])}`,
      cmd: (p) => [bun, [peer("bun-file-floor.mjs"), dir, String(p)]],
    });
  if (existsSync(deno))
    out.push({
      name: "deno-file-floor",
      label: "Deno.serve, open + stat + read per request (floor)",
      kind: "floor",
      runtime: "Deno",
      listing: false,
      scenarios: CEILING_SCENARIOS,
      version: version(deno, ["--version"]).replace(/ \(.*/, "").replace("deno", "Deno"),
      cmd: (p) => [deno, [...DENO_RUN, peer("deno-file-floor.mjs"), dir, String(p)]],
    });
  return out;
}

/**
 * simplehttp's command on each runtime found, for the scale scenarios: [{ name, label, runtime, cmd }].
 * `args` are added to the command line (--tls-cert …).
 */
export function ourServers({ root: repo, dir, args = [] }) {
  const cli = join(repo, "packages/cli/bin/simplehttp.js");
  const bun = join(repo, "node_modules/bun/bin/bun.exe");
  const deno = join(repo, "node_modules/deno/deno");
  const ours = (p) => [String(p), "-b", "127.0.0.1", "-d", dir, "-q", ...args];
  const out = [
    {
      name: "simplehttp-node",
      label: "simplehttp (Node)",
      kind: "simplehttp",
      runtime: "Node",
      version: `Node ${process.versions.node}`,
      cmd: (p) => [process.execPath, [cli, ...ours(p)]],
    },
  ];
  if (existsSync(bun))
    out.push({
      name: "simplehttp-bun",
      label: "simplehttp (Bun)",
      kind: "simplehttp",
      runtime: "Bun",
      version: `Bun ${version(bun, ["--version"])}`,
      cmd: (p) => [bun, [cli, ...ours(p)]],
    });
  if (existsSync(deno))
    out.push({
      name: "simplehttp-deno",
      label: "simplehttp (Deno)",
      kind: "simplehttp",
      runtime: "Deno",
      version: version(deno, ["--version"]).replace(/ \(.*/, "").replace("deno", "Deno"),
      cmd: (p) => [deno, [...DENO_RUN, cli, ...ours(p)]],
    });
  return out;
}

export { version as commandVersion };

export const findNginx = () => ["nginx", "/usr/sbin/nginx"].find((c) => hasCommand(c) || existsSync(c)) ?? null;

/** nginx's version as [major, minor, patch]. */
export function nginxVersion(bin) {
  return (version(bin, ["-v"]).match(/nginx\/(\d+)\.(\d+)\.(\d+)/) ?? []).slice(1).map(Number);
}

/**
 * A one-worker nginx config serving the fixture. Options: `connections` (worker_connections and the
 * fd limit it asks for: the idle scenario holds thousands), `tls` ({ cert, key } paths: HTTPS and
 * HTTP/2), `v` (nginx's version: before 1.25.1 HTTP/2 is a parameter of `listen`, after it the
 * `http2 on` directive).
 */
export function nginxConfig(fixture, port, { connections = 1024, tls = null, v = [1, 22, 0] } = {}) {
  const prefix = join(fixture.base, "nginx");
  mkdirSync(join(prefix, "tmp"), { recursive: true });
  const mime = existsSync("/etc/nginx/mime.types") ? "include /etc/nginx/mime.types;" : "";
  const conf = join(prefix, `nginx-${port}.conf`);
  writeFileSync(
    conf,
    `daemon off;
master_process on;
worker_processes 1;
${connections > 1024 ? `worker_rlimit_nofile ${connections + 64};` : ""}
pid ${prefix}/nginx-${port}.pid;
error_log stderr warn;
events { worker_connections ${connections}; }
http {
  ${mime}
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  server {
    ${listenLine(port, tls, v)}
    root ${fixture.root};
    autoindex on;
  }
}
`,
  );
  return conf;
}

/** Whether this nginx switches HTTP/2 on with `http2 on` (1.25.1 and later) rather than `listen … http2`. */
export const nginxHttp2On = (v) => v[0] > 1 || (v[0] === 1 && (v[1] > 25 || (v[1] === 25 && v[2] >= 1)));

function listenLine(port, tls, v) {
  if (!tls) return `listen 127.0.0.1:${port};`;
  const on125 = nginxHttp2On(v);
  // keepalive_requests: nginx closes a connection after 1,000 requests by default, and h2load does not
  // open another, so an HTTP/2 run would stop after 4,000 requests. ssl_protocols: 1.22 offers at most
  // TLS 1.2 unless told (1.23.4 added 1.3 to the default), and the other servers speak 1.3.
  return `${on125 ? `listen 127.0.0.1:${port} ssl;\n    http2 on;` : `listen 127.0.0.1:${port} ssl http2;`}
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 100000000;`;
}

function probe(port, path, tls = false) {
  return new Promise((resolve) => {
    const get = tls ? https.get : http.get;
    const req = get({ host: "127.0.0.1", port, path, agent: false, rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", () => resolve(0));
    req.setTimeout(1000, () => req.destroy());
  });
}

/**
 * `sh -c 'ulimit -n N && exec …'`, falling back to the hard limit when N is above it (raising the
 * hard limit needs CAP_SYS_RESOURCE, which a container may not have): the command then runs with
 * as many descriptors as this machine allows, and the caller reads the limit it got from /proc.
 */
export function withNofile(n, file, args) {
  return [
    "sh",
    [
      "-c",
      'n=$1; shift; ulimit -n "$n" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"',
      "sh",
      String(n),
      file,
      ...args,
    ],
  ];
}

/** The soft limit on open files of a running process, from /proc/PID/limits. */
export function nofileOf(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/limits`, "utf8").match(/Max open files\s+(\d+)/)[1]);
  } catch {
    return null;
  }
}

/**
 * Start a server and wait until it answers GET /1k.bin; returns a handle with stop().
 * def may add: env, nofile (the fd limit to ask for), tls (probe over HTTPS), startMs (how long to
 * wait for it: a worker that bundles and seeds its bucket first takes longer), cpu.
 */
export async function startServer(def, { cwd, logDir }) {
  const port = await freePort();
  let [file, args] = pinned(def.cpu ?? SERVER_CPU, ...def.cmd(port));
  if (def.nofile) [file, args] = withNofile(def.nofile, file, args);
  const logPath = join(logDir, `${def.name}-${port}.log`);
  const log = openSync(logPath, "a");
  const child = startGroup(file, args, {
    cwd,
    stdio: ["ignore", log, log],
    env: { ...process.env, NO_COLOR: "1", ...def.env },
  });
  closeSync(log);
  let exited = null;
  child.exited.then((r) => (exited = r));
  const deadline = Date.now() + (def.startMs ?? 20_000);
  while (Date.now() < deadline) {
    if (exited) break;
    if ((await probe(port, "/1k.bin", Boolean(def.tls))) === 200) {
      const scheme = def.tls ? "https" : "http";
      return {
        def,
        port,
        pid: child.pid,
        child,
        logPath,
        base: `${scheme}://127.0.0.1:${port}`,
        stop: () => stopGroup(child),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopGroup(child);
  const tail = existsSync(logPath) ? readFileSync(logPath, "utf8").slice(-600) : "";
  throw new Error(
    `${def.label} did not answer on port ${port}${exited ? ` (exited ${JSON.stringify(exited)})` : ""}: ${tail}`,
  );
}
