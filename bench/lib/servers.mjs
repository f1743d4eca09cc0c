// The servers under test: simplehttp on three runtimes and the peers a user would pick instead.
// Each is started on 127.0.0.1 with a free port, pinned to CPU 0, in its own process group.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { freePort, hasCommand, pinned, startGroup, stopGroup } from "./proc.mjs";

export const SERVER_CPU = 0;
const STD_FILE_SERVER = "jsr:@std/http@1/file-server";

const version = (file, args) => {
  const r = spawnSync(file, args, { encoding: "utf8" });
  return `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n")[0];
};
const pkgVersion = (bench, name) =>
  JSON.parse(readFileSync(join(bench, "node_modules", name, "package.json"), "utf8")).version;

/**
 * kind: "simplehttp" (ours) or "peer". runtime groups peers for the same-runtime ratios.
 * listing: the server has directory listings (others are n/a in that scenario).
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

  list.push(
    { name: "simplehttp-node", label: "simplehttp (Node)", kind: "simplehttp", runtime: "Node", listing: true,
      version: `Node ${process.versions.node}`, cmd: (p) => [node, [cli, ...ours(p)]] },
  );
  if (existsSync(bun)) {
    const v = version(bun, ["--version"]);
    list.push(
      { name: "simplehttp-bun", label: "simplehttp (Bun)", kind: "simplehttp", runtime: "Bun", listing: true,
        version: `Bun ${v}`, cmd: (p) => [bun, [cli, ...ours(p)]] },
      { name: "bun-ceiling", label: "Bun.serve + Bun.file (ceiling)", kind: "peer", runtime: "Bun", listing: false,
        version: `Bun ${v}`, cmd: (p) => [bun, [join(bench, "peers/bun-ceiling.mjs"), dir, String(p)]] },
    );
  } else skipped.push("simplehttp (Bun) and the Bun.serve ceiling: node_modules/bun/bin/bun.exe is missing (run pnpm install)");
  if (existsSync(deno)) {
    list.push({ name: "simplehttp-deno", label: "simplehttp (Deno)", kind: "simplehttp", runtime: "Deno", listing: true,
      version: version(deno, ["--version"]).replace(/ \(.*/, "").replace("deno", "Deno"),
      cmd: (p) => [deno, ["run", "-A", cli, ...ours(p)]] });
  } else skipped.push("simplehttp (Deno): node_modules/deno/deno is missing (run pnpm install)");

  list.push(
    { name: "sirv", label: "sirv-cli --etag", kind: "peer", runtime: "Node", listing: false,
      version: `sirv-cli ${pkgVersion(bench, "sirv-cli")}`,
      cmd: (p) => [node, [join(nm, "sirv-cli/bin.js"), dir, "--host", "127.0.0.1", "--port", String(p), "--quiet", "--etag"]] },
    { name: "serve", label: "serve", kind: "peer", runtime: "Node", listing: true,
      version: `serve ${pkgVersion(bench, "serve")}`,
      cmd: (p) => [node, [join(nm, "serve/build/main.js"), "-l", `tcp://127.0.0.1:${p}`, "-L", "-n", "--no-port-switching", dir]] },
    { name: "http-server", label: "http-server", kind: "peer", runtime: "Node", listing: true,
      version: `http-server ${pkgVersion(bench, "http-server")}`,
      cmd: (p) => [node, [join(nm, "http-server/bin/http-server"), dir, "-a", "127.0.0.1", "-p", String(p), "-s"]] },
    { name: "hono", label: "hono serveStatic (@hono/node-server)", kind: "peer", runtime: "Node", listing: false,
      version: `hono ${pkgVersion(bench, "hono")}, @hono/node-server ${pkgVersion(bench, "@hono/node-server")}`,
      cmd: (p) => [node, [join(bench, "peers/hono-static.mjs"), dir, String(p)]] },
  );

  if (hasCommand("python3")) {
    list.push({ name: "python", label: "python3 -m http.server", kind: "peer", runtime: "Python", listing: true,
      version: version("python3", ["--version"]),
      cmd: (p) => ["python3", ["-m", "http.server", String(p), "--bind", "127.0.0.1", "--directory", dir]] });
  } else skipped.push("python3 -m http.server: no python3 on this machine");

  const nginxBin = ["nginx", "/usr/sbin/nginx"].find((c) => hasCommand(c) || existsSync(c));
  if (nginxBin) {
    list.push({ name: "nginx", label: "nginx (1 worker, sendfile)", kind: "peer", runtime: "nginx", listing: true,
      version: version(nginxBin, ["-v"]).replace("nginx version: ", ""),
      cmd: (p) => [nginxBin, ["-c", nginxConfig(fixture, p), "-p", join(fixture.base, "nginx"), "-e", "stderr"]] });
  } else skipped.push("nginx: not installed (apt-get install nginx-light)");

  // Deno std's file_server is the Deno peer issue 6 names. It comes from jsr.io at run time: cached
  // first, so that a machine without jsr.io skips it instead of timing out at every start.
  if (existsSync(deno) && (!only || only.includes("deno-std"))) {
    const cached = spawnSync(deno, ["cache", STD_FILE_SERVER], { encoding: "utf8", timeout: 120_000 });
    if (cached.status === 0) {
      list.push({ name: "deno-std", label: "Deno std file_server", kind: "peer", runtime: "Deno", listing: true,
        version: `${STD_FILE_SERVER} on ${version(deno, ["--version"]).replace(/ \(.*/, "").replace("deno", "Deno")}`,
        cmd: (p) => [deno, ["run", "--allow-net", "--allow-read", "--allow-env", "--allow-sys", STD_FILE_SERVER, dir, "--host", "127.0.0.1", "--port", String(p)]] });
    } else {
      skipped.push(`Deno std file_server: \`deno cache ${STD_FILE_SERVER}\` failed (jsr.io unreachable from this machine?)`);
    }
  }

  const chosen = only ? list.filter((s) => only.includes(s.name)) : list;
  return { servers: chosen, skipped };
}

function nginxConfig(fixture, port) {
  const prefix = join(fixture.base, "nginx");
  mkdirSync(join(prefix, "tmp"), { recursive: true });
  const mime = existsSync("/etc/nginx/mime.types") ? "include /etc/nginx/mime.types;" : "";
  const conf = join(prefix, `nginx-${port}.conf`);
  writeFileSync(conf, `daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx-${port}.pid;
error_log stderr warn;
events { worker_connections 1024; }
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
    listen 127.0.0.1:${port};
    root ${fixture.root};
    autoindex on;
  }
}
`);
  return conf;
}

function probe(port, path) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", () => resolve(0));
    req.setTimeout(1000, () => req.destroy());
  });
}

/** Start a server and wait until it answers GET /1k.bin; returns a handle with stop(). */
export async function startServer(def, { cwd, logDir }) {
  const port = await freePort();
  const [file, args] = pinned(SERVER_CPU, ...def.cmd(port));
  const logPath = join(logDir, `${def.name}-${port}.log`);
  const log = openSync(logPath, "a");
  const child = startGroup(file, args, { cwd, stdio: ["ignore", log, log], env: { ...process.env, NO_COLOR: "1" } });
  closeSync(log);
  let exited = null;
  child.exited.then((r) => (exited = r));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) break;
    if ((await probe(port, "/1k.bin")) === 200) {
      return { def, port, pid: child.pid, child, base: `http://127.0.0.1:${port}`, stop: () => stopGroup(child) };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopGroup(child);
  const tail = existsSync(logPath) ? readFileSync(logPath, "utf8").slice(-600) : "";
  throw new Error(`${def.label} did not answer on port ${port}${exited ? ` (exited ${JSON.stringify(exited)})` : ""}: ${tail}`);
}
