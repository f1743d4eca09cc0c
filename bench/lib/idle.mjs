// Idle keep-alive connections (issue 15): hold thousands of connections to each runtime's simplehttp
// and to nginx, measure the memory each costs while idle, send one request over every one at once
// (all must be answered, and are counted), then add connections in steps until something fails,
// and say how it failed (refused, reset, no answer, the server gone, slow).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { CLIENT_CPU } from "./load.mjs";
import { pinned, startGroup, stopGroup, tree, treeCpuSeconds, treeRss, waitQuiet } from "./proc.mjs";
import { findNginx, nginxConfig, nofileOf, ourServers, SERVER_CPU, startServer, withNofile } from "./servers.mjs";

const CLIENT = fileURLToPath(new URL("./idle-client.mjs", import.meta.url));
const OPEN_TIMEOUT_MS = 5_000; // a connection whose first answer takes longer has failed ("no answer")
const BURST_TIMEOUT_MS = 30_000;
const SLOW_BURST_P99_MS = 5_000; // a burst whose p99 is above this counts as the server being too slow
const MAX_FAILURES = 100; // a step stops trying new connections after this many failed (each may wait OPEN_TIMEOUT_MS)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The steps of the ramp after the measured count: ×1.5, rounded to thousands, up to max. */
function rampSteps(start, max) {
  const steps = [];
  for (let n = start; n < max; ) {
    n = Math.min(max, Math.ceil((n * 1.5) / 1000) * 1000);
    steps.push(n);
  }
  return steps;
}

/** A client process (idle-client.mjs) on the client CPU, spoken to in JSON lines. */
function startClient({ port, source, nofile }) {
  const arg = JSON.stringify({ port, path: "/1k.bin", expectLength: 1024, source });
  const [file, args] = withNofile(nofile, ...pinned(CLIENT_CPU, process.execPath, [CLIENT, arg]));
  const child = startGroup(file, args, { stdio: ["pipe", "pipe", "pipe"] });
  const waiting = [];
  let stderr = "";
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
  readline.createInterface({ input: child.stdout }).on("line", (l) => waiting.shift()?.resolve(JSON.parse(l)));
  child.exited.then((r) => {
    for (const w of waiting.splice(0))
      w.reject(new Error(`idle client exited ${JSON.stringify(r)}: ${stderr.slice(-300)}`));
  });
  let held = 0;
  return {
    child,
    get held() {
      return held;
    },
    set held(n) {
      held = n;
    },
    send(cmd) {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${JSON.stringify(cmd)}\n`);
      });
    },
    async close() {
      await Promise.race([this.send({ cmd: "close" }).catch(() => {}), sleep(5000)]);
      await stopGroup(child, 500);
    },
  };
}

/** Whether this process may raise hard limits (CAP_SYS_RESOURCE, bit 24 of CapEff in /proc/self/status). */
function canRaiseHardLimits() {
  try {
    return (
      ((BigInt(`0x${/CapEff:\s+([0-9a-f]+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]}`) >> 24n) & 1n) === 1n
    );
  } catch {
    return null;
  }
}

const hardNofile = () => Number(spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).stdout.trim()) || null;

/** 200 requests over 8 keep-alive connections: the first-use costs (JIT, lazy modules) before the baseline. */
async function warm(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const one = () =>
    new Promise((res) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/1k.bin", agent }, (r) => {
        r.resume();
        r.on("end", res);
      });
      req.on("error", res);
      req.setTimeout(5000, () => req.destroy());
    });
  let left = 200;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left-- > 0) await one();
    }),
  );
  agent.destroy();
}

const probe = (port) =>
  new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/1k.bin", agent: false }, (r) => {
      r.resume();
      r.on("end", () => resolve(r.statusCode));
    });
    req.on("error", (e) => resolve(e.code ?? "error"));
    req.setTimeout(5000, () => {
      req.destroy();
      resolve("no answer in 5 s");
    });
  });

/** The last line of the server's log that says something (why it exited). */
function logTail(srv) {
  try {
    const lines = readFileSync(srv.logPath, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    return (lines.find((l) => /error|panic|too many|EMFILE|uncaught/i.test(l)) ?? lines.at(-1) ?? "no log").slice(
      0,
      200,
    );
  } catch {
    return "no log";
  }
}

const merge = (into, from) => {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
  return into;
};
const words = (failed) =>
  Object.entries(failed)
    .map(([k, v]) => `${v.toLocaleString("en-US")} ${k}`)
    .join(", ");

export async function idlePart(ctx) {
  const { fixture, cfg, log, logDir, root } = ctx;
  const hard = hardNofile();
  // Each client's share, under its own fd limit.
  const perClient = Math.max(1000, Math.min(15_000, (hard ?? 20_000) - 200));
  // The servers' fd limit: enough for the ramp, or --idle-nofile (a low one shows how each fails at
  // its limit without tens of thousands of connections; 1024 is many systems' default).
  const want = cfg.idleNofile || cfg.idleMax + 1024;
  const out = {
    config: {
      connections: cfg.idleConnections,
      max: cfg.idleMax,
      idleSeconds: cfg.idleSeconds,
      perClient,
      nofileAsked: want,
    },
    hardLimit: hard,
    hardLimitNote:
      hard != null && hard < want
        ? `below the ${want.toLocaleString("en-US")} asked for, and ` +
          (canRaiseHardLimits() === false
            ? "this process lacks CAP_SYS_RESOURCE, which raising it needs"
            : "raising it failed") +
          ": each process is capped there"
        : null,
    servers: [],
  };
  const defs = ourServers({ root, dir: fixture.root });
  const nginx = findNginx();
  if (nginx) {
    defs.push({
      name: "nginx",
      label: "nginx (1 worker)",
      kind: "peer",
      runtime: "nginx",
      cmd: (p) => [
        nginx,
        [
          "-c",
          nginxConfig(fixture, p, { connections: Math.max(want, cfg.idleMax + 1024) }),
          "-p",
          join(fixture.base, "nginx"),
          "-e",
          "stderr",
        ],
      ],
    });
  } else ctx.skipped.push("idle: nginx not installed");

  for (const [si, base] of ctx.pick(defs).entries()) {
    const def = { ...base, nofile: want, startMs: 30_000 };
    const row = { name: def.name, label: def.label, ramp: [] };
    out.servers.push(row);
    log(`idle: ${def.label}`);
    let srv;
    try {
      srv = await startServer(def, { cwd: fixture.root, logDir });
    } catch (e) {
      row.error = e.message.slice(0, 200);
      log(`  ${row.error}`);
      continue;
    }
    const clients = [];
    try {
      row.nofile = Math.max(
        ...tree(srv.pid)
          .map(nofileOf)
          .filter((x) => x != null),
      );
      await warm(srv.port);
      await sleep(300);
      await waitQuiet(SERVER_CPU, { maxMs: 3000 });
      const rssBefore = treeRss(tree(srv.pid));
      let exit = null;
      srv.child.exited.then((r) => (exit = r));

      // Holds `target` connections at once: opens what is missing, spread over the clients, each
      // client from its own source addresses (127.<20+server>.<client>.1–250) and with at most perClient.
      const openTo = async (target) => {
        const statuses = await Promise.all(clients.map((c) => c.send({ cmd: "status" })));
        let live = 0;
        for (const [i, status] of statuses.entries()) {
          clients[i].held = status.live;
          live += status.live;
        }
        let missing = target - live;
        const jobs = [];
        for (let i = 0; missing > 0; i++) {
          if (!clients[i])
            clients.push(startClient({ port: srv.port, source: `127.${20 + si}.${i}.`, nofile: perClient + 200 }));
          const n = Math.min(missing, perClient - clients[i].held);
          if (n <= 0) continue;
          missing -= n;
          jobs.push(
            clients[i].send({
              cmd: "open",
              count: n,
              concurrency: 100,
              timeoutMs: OPEN_TIMEOUT_MS,
              maxFailures: MAX_FAILURES,
            }),
          );
        }
        const t0 = Date.now();
        const rs = await Promise.all(jobs);
        const failed = {},
          badAnswers = {};
        for (const r of rs) {
          merge(failed, r.failed);
          merge(badAnswers, r.badAnswers);
        }
        return {
          asked: target,
          opened: rs.reduce((a, r) => a + r.ok, 0),
          bad: rs.reduce((a, r) => a + r.bad, 0),
          badAnswers,
          failed,
          gaveUp: rs.some((r) => r.gaveUp),
          openMs: Date.now() - t0,
        };
      };
      // Idle for cfg.idleSeconds (the server's CPU meanwhile: a server busy while nothing happens is
      // a failure too), then the RSS, then one request on every connection at once.
      const step = async (target) => {
        const o = await openTo(target);
        const pids = tree(srv.pid);
        const cpu0 = treeCpuSeconds(pids);
        await sleep(cfg.idleSeconds * 1000);
        // A server that exited meanwhile has no CPU time left to read: say nothing rather than a negative share.
        const idleCpu = exit ? null : (treeCpuSeconds(pids) - cpu0) / cfg.idleSeconds;
        const rss = treeRss(tree(srv.pid));
        const st = await Promise.all(clients.map((c) => c.send({ cmd: "status" })));
        const open = st.reduce((a, s) => a + s.live, 0);
        const closedIdle = st.reduce((a, s) => a + s.closedIdle, 0);
        const ages = st.map((s) => s.closedIdleAfterMs).filter((x) => x != null);
        const bs = await Promise.all(clients.map((c) => c.send({ cmd: "burst", timeoutMs: BURST_TIMEOUT_MS })));
        const burst = { sent: 0, ok: 0, bad: 0, badAnswers: {}, failed: {}, ms: 0, p99: 0, max: 0 };
        for (const b of bs) {
          burst.sent += b.sent;
          burst.ok += b.ok;
          burst.bad += b.bad;
          merge(burst.failed, b.failed);
          merge(burst.badAnswers, b.badAnswers);
          burst.ms = Math.max(burst.ms, b.ms);
          burst.p99 = Math.max(burst.p99, b.p99 ?? 0);
          burst.max = Math.max(burst.max, b.max ?? 0);
        }
        const rssAfterBurst = treeRss(tree(srv.pid));
        const failures = [];
        if (o.bad) failures.push(`opening: ${o.bad} wrong answers (${words(o.badAnswers)})`);
        if (Object.keys(o.failed).length)
          failures.push(`opening: ${words(o.failed)}${o.gaveUp ? ` (gave up after ${MAX_FAILURES} failures)` : ""}`);
        if (burst.bad) failures.push(`burst: ${burst.bad} wrong answers (${words(burst.badAnswers)})`);
        if (Object.keys(burst.failed).length) failures.push(`burst: ${words(burst.failed)}`);
        if (burst.p99 > SLOW_BURST_P99_MS) failures.push(`slow: burst p99 ${(burst.p99 / 1000).toFixed(1)} s`);
        if (exit)
          failures.push(
            "server exited (" +
              (exit.sig
                ? `signal ${exit.sig}${exit.sig === "SIGKILL" ? ", the kernel's OOM killer?" : ""}`
                : `code ${exit.code}`) +
              `): ${logTail(srv)}`,
          );
        const s = {
          asked: target,
          open,
          opened: o.opened,
          openMs: o.openMs,
          rss,
          rssAfterBurst,
          idleCpu,
          closedIdle,
          closedIdleAfterS: ages.length ? ages.sort((a, b) => a - b)[ages.length >> 1] / 1000 : null,
          burst,
          failures: failures.join("; "),
          serverExit: exit ? (exit.sig ? `signal ${exit.sig}` : `code ${exit.code}`) : null,
        };
        log(
          `  ${target.toLocaleString("en-US")} asked: ${open.toLocaleString("en-US")} open in ${o.openMs} ms` +
            `${closedIdle ? ` (${closedIdle} closed by the server while idle)` : ""}, ` +
            `RSS ${(rss / 2 ** 20).toFixed(1)} MiB, ` +
            `idle CPU ${idleCpu == null ? "–" : `${Math.round(idleCpu * 100)}%`}, ` +
            `burst ${burst.ok}/${burst.sent} in ${Math.round(burst.ms)} ms${s.failures ? `; ${s.failures}` : ""}`,
        );
        return s;
      };

      const first = await step(cfg.idleConnections);
      row.measure = {
        asked: first.asked,
        open: first.open,
        rssBefore,
        rssAfter: first.rss,
        rssAfterBurst: first.rssAfterBurst,
        perConnection: first.open ? (first.rss - rssBefore) / first.open : null,
        closedIdle: first.closedIdle,
        closedIdleAfterS: first.closedIdleAfterS,
        burst: first.burst,
        failures: first.failures,
      };
      row.ramp.push(first);
      let failedAt = first.failures ? first : null;
      for (const target of failedAt ? [] : rampSteps(cfg.idleConnections, cfg.idleMax)) {
        const s = await step(target);
        row.ramp.push(s);
        if (s.failures) {
          failedAt = s;
          break;
        }
      }
      // Does it recover once the clients are gone?
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await sleep(1000);
      const after = exit ? "it had exited" : await probe(srv.port);
      const recovered =
        after === 200 ? "it answered a new request once the clients had gone" : `after the clients had gone: ${after}`;
      const fdNote =
        row.nofile != null && failedAt && failedAt.asked >= row.nofile - 64
          ? ` (its fd limit is ${row.nofile.toLocaleString("en-US")})`
          : "";
      row.limit = failedAt
        ? `fails at ${failedAt.asked.toLocaleString("en-US")} connections${fdNote}: ${failedAt.failures}; ${recovered}`
        : `no failure up to ${row.ramp.at(-1).asked.toLocaleString("en-US")} ` +
          `connections (the most this run asks for); ${recovered}`;
      log(`  limit: ${row.limit}`);
    } catch (e) {
      row.error = String(e.message ?? e).slice(0, 300);
      log(`  failed: ${row.error}`);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await srv.stop();
    }
  }
  return out;
}
